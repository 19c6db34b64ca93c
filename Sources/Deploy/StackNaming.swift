import Blueprint

/// The names of everything an analysis's stack creates, derived from the analysis name and its
/// affiliates' names. One place, so the template, the verifier and teardown agree.
public struct StackNaming: Sendable, Equatable {
    /// The analysis name: the stack, and the prefix of the derived names.
    public let analysis: String
    /// The bucket: the analysis name unless the blueprint's `ncaas.bucket` names another.
    public let bucketName: String

    public init(analysis: String, bucket: String? = nil) {
        self.analysis = analysis
        self.bucketName = bucket ?? analysis
    }

    /// The naming of a blueprint: its PipelineName and its bucket (`ncaas.bucket`, else the PipelineName).
    public init?(blueprint: Blueprint) {
        guard let analysis = blueprint.pipelineName else { return nil }
        self.init(analysis: analysis, bucket: blueprint.bucketName)
    }

    public var stackName: String { analysis }
    public var jobQueueName: String { "\(analysis)-jobs" }
    public var deadLetterQueueName: String { "\(analysis)-jobs-dlq" }
    /// The SSM parameter holding the deployed LambdaConfig.
    public var configParameterName: String { "/ncaas/\(analysis)/lambda-config" }
    /// The job instance role's inline policy.
    public var instancePolicyName: String { "\(analysis)-job-instance" }
    /// The job manager's role's inline policy.
    public var managerPolicyName: String { "\(analysis)-job-manager" }

    /// The affiliate's IAM group: `<analysis>-<affiliate>` (IAM allows 128 characters).
    public func groupName(_ affiliate: String) -> String { Self.limited("\(analysis)-\(affiliate)", to: 128) }

    /// The inline policy granting an affiliate its prefix, on its group and on its users.
    public func accessPolicyName(_ affiliate: String) -> String { Self.limited("\(analysis)-\(affiliate)-access", to: 128) }

    /// The affiliate's folder in the bucket, with a trailing slash.
    public func prefix(_ affiliate: String) -> String { "\(affiliate)/" }

    /// The folders made for each affiliate after a create.
    public static let affiliateFolders = ["inputs/", "configs/", "submissions/", "results/"]

    /// The suffix of the objects that start a job.
    public static let submitSuffix = "submit.json"

    /// Tag keys ncaas puts on its resources and stacks.
    public static let analysisTag = "ncaas:analysis"
    public static let commitTag = "ncaas:blueprint-commit"

    /// Each name derived from the analysis name as a whole, with the longest its kind may be
    /// (affiliate names are hashed to fit their own limit and are not listed).
    public var derivedNames: [(what: String, name: String, limit: Int)] {
        [
            ("CloudFormation stack name", stackName, 128),
            ("SQS queue name", jobQueueName, 80),
            ("SQS queue name", deadLetterQueueName, 80),
            ("IAM policy name", instancePolicyName, 128),
            ("IAM policy name", managerPolicyName, 128),
            ("SSM parameter name", configParameterName, 1011),
            // Dev images are `ncaas-<analysis>-<yyyyMMdd-HHmmss>`.
            ("AMI name", "ncaas-\(analysis)-20260101-000000", 128),
        ]
    }

    /// The first derived name longer than its kind allows, as a sentence; nil when all fit.
    public var derivedNameProblem: String? {
        guard let long = derivedNames.first(where: { $0.name.utf8.count > $0.limit }) else { return nil }
        return "The PipelineName '\(analysis.prefix(20))…' makes the \(long.what) '\(long.name.prefix(30))…' \(long.name.utf8.count) characters long, "
            + "over its limit of \(long.limit): shorten the PipelineName."
    }

    /// `text` if it fits in `limit` characters, else its head and a stable hash.
    static func limited(_ text: String, to limit: Int) -> String {
        guard text.utf8.count > limit else { return text }
        let hash = StableHash.hex(text)
        return String(text.prefix(limit - hash.count - 1)) + "-" + hash
    }
}

/// FNV-1a, 32 bits, as 8 hex digits: a short name suffix that is the same on every machine.
enum StableHash {
    static func hex(_ text: String) -> String {
        var hash: UInt32 = 0x811C_9DC5
        for byte in text.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 0x0100_0193
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }
}

/// Logical resource ids (letters and digits only) for affiliates, unique within a template.
enum LogicalIDs {
    /// `neuro-lab.v2` → `NeuroLabV2`; a name that collides with an earlier one, or has no letter
    /// or digit, gets its stable hash appended.
    static func affiliateStems(_ names: [String]) -> [String] {
        var used: Set<String> = []
        return names.map { name in
            var stem = name.split(whereSeparator: { !($0.isASCII && ($0.isLetter || $0.isNumber)) })
                .map { $0.prefix(1).uppercased() + $0.dropFirst() }
                .joined()
            if stem.isEmpty || used.contains(stem) { stem += StableHash.hex(name).uppercased() }
            stem = String(stem.prefix(200))
            used.insert(stem)
            return stem
        }
    }
}
