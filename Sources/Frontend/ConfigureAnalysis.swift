import Blueprint
import Foundation
import LosslessJSON
import Support

/// `ncaas configure <name>`: scaffolds `blueprints/<name>/` with a blueprint and a README.
public struct ConfigureAnalysis {
    /// What the user can override; nil means the default.
    public struct Options: Sendable {
        public var name: String
        public var ami: String = "ubuntu18"
        public var instanceType: String = "t3.medium"
        public var region: String = "us-east-1"
        public var command: String = "bash ~/bin/run.sh {} {} {} {}"
        /// `NAME` or `NAME:user1,user2`.
        public var affiliates: [String] = []
        /// The folder that receives `<name>/`; nil for the project's `blueprints/`.
        public var folder: String?
        public var force: Bool = false

        public init(name: String) { self.name = name }
    }

    /// Files written.
    public struct Result: Sendable {
        public var folder: String
        public var files: [String]
    }

    public init() {}

    /// Creates the blueprint folder. Refuses a bad name or option before writing anything; the new
    /// folder appears whole (built aside, then renamed into place) or not at all.
    public func run(_ options: Options) throws -> Result {
        if let problem = AnalysisName.problem(with: options.name) { throw ConfigureError.badName(problem) }
        let document = try Self.blueprint(options)
        let invalid = BlueprintValidator.validate(document).filter { $0.severity == .error }
        if let first = invalid.first { throw ConfigureError.badOption(first) }

        let parent = options.folder ?? BlueprintFile.blueprintsFolder()
        let target = (parent as NSString).appendingPathComponent(options.name)
        let fm = FileManager.default
        let exists = fm.fileExists(atPath: target)
        if exists && !options.force { throw ConfigureError.exists(target) }
        do {
            try fm.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch {
            throw ConfigureError.cannotWrite(parent, LocalPath.describe(error))
        }
        let files = [(Blueprint.fileName, String(decoding: document.bytes, as: UTF8.self)), ("README.md", Self.readme(options.name))]
        if exists {
            for (file, text) in files { try AtomicFile.write(text, to: (target as NSString).appendingPathComponent(file)) }
        } else {
            let staging = (parent as NSString).appendingPathComponent(".\(options.name).configuring-\(getpid())")
            defer { try? fm.removeItem(atPath: staging) }
            do {
                try fm.createDirectory(atPath: staging, withIntermediateDirectories: false)
                for (file, text) in files { try AtomicFile.write(text, to: (staging as NSString).appendingPathComponent(file)) }
                try fm.moveItem(atPath: staging, toPath: target)
            } catch {
                throw ConfigureError.cannotWrite(target, LocalPath.describe(error))
            }
        }
        return Result(folder: target, files: files.map { (target as NSString).appendingPathComponent($0.0) })
    }

    /// The blueprint text for `options`, in NeuroCAAS's layout (four-space indentation).
    static func blueprint(_ options: Options) throws -> JSONDocument {
        var affiliates: [JSONValue] = []
        for spec in options.affiliates.isEmpty ? ["debuggers"] : options.affiliates {
            let parts = spec.split(separator: ":", maxSplits: 1).map(String.init)
            guard let name = parts.first, !name.isEmpty else { throw ConfigureError.badAffiliate(spec) }
            let users = parts.count > 1 ? parts[1].split(separator: ",").map { JSONValue.string(String($0)) } : []
            affiliates.append(.object([
                ("AffiliateName", .string(name)),
                ("UserNames", .array(users)),
                ("UserInput", .bool(true)),
                ("ContactEmail", .string("")),
            ]))
        }
        let value: JSONValue = .object([
            ("PipelineName", .string(options.name)),
            ("REGION", .string(options.region)),
            ("STAGE", .string("develop")),
            ("Lambda", .object([
                ("LambdaConfig", .object([
                    ("AMI", .string(options.ami)),
                    ("INSTANCE_TYPE", .string(options.instanceType)),
                    ("REGION", .string(options.region)),
                    ("WORKING_DIRECTORY", .string("~/bin")),
                    ("COMMAND", .string(options.command)),
                    ("SHUTDOWN_BEHAVIOR", .string("terminate")),
                    ("CONFIG", .string("config.yaml")),
                    ("EXECUTION_TIMEOUT", .number("900")),
                    ("SSM_TIMEOUT", .number("172000")),
                    ("DEPLOY_LIMIT", .number("100")),
                    ("MAXCOST", .string("300")),
                    ("MONITOR", .bool(true)),
                ])),
            ])),
            ("UXData", .object([("Affiliates", .array(affiliates))])),
        ])
        return try JSONDocument(text: JSONWriter(indentUnit: "    ").document(value))
    }

    static func readme(_ name: String) -> String {
        """
        # \(name)

        An ncaas analysis blueprint. `stack_config_template.json` is NeuroCAAS-compatible:
        NeuroCAAS tools read it unchanged; ncaas keeps anything of its own under the key `ncaas`.

        | field | what it is for |
        | --- | --- |
        | `PipelineName` | the analysis name and CloudFormation stack name; also its S3 bucket unless `ncaas.bucket` names one |
        | `REGION` | the AWS region the analysis is deployed in |
        | `STAGE` | `develop`, `webdev` or `websubstack` (NeuroCAAS's deployment stages) |
        | `Lambda.LambdaConfig.AMI` | the machine image jobs run on: an AMI id or an alias (`ubuntu18`, `ubuntu16`, `dlami18`, `debian12`) |
        | `Lambda.LambdaConfig.INSTANCE_TYPE` | the EC2 instance type each dataset runs on |
        | `Lambda.LambdaConfig.COMMAND` | the shell command of a job, with exactly four `{}`: bucket, dataset key, result folder, config key |
        | `Lambda.LambdaConfig.WORKING_DIRECTORY` | where COMMAND runs on the instance (`~` is the login user's home); COMMAND runs as root unless `ncaas.jobs.user` names another user |
        | `Lambda.LambdaConfig.EXECUTION_TIMEOUT` | seconds the launcher may take to start COMMAND on every instance |
        | `Lambda.LambdaConfig.SSM_TIMEOUT` | seconds COMMAND may run on an instance (a config's `__duration__`, in minutes, overrides it per job) |
        | `Lambda.LambdaConfig.DEPLOY_LIMIT` | how many instances may run at once |
        | `Lambda.LambdaConfig.MAXCOST` | dollars each affiliate group may spend |
        | `Lambda.LambdaConfig.MONITOR` | whether jobs are monitored |
        | `Lambda.LambdaConfig.SHUTDOWN_BEHAVIOR` | `terminate` or `stop` when a job ends |
        | `UXData.Affiliates[]` | the groups of users allowed to submit jobs: `AffiliateName`, `UserNames`, `UserInput`, `ContactEmail` |

        Check it with `ncaas blueprint validate \(name)`; read a field with
        `ncaas blueprint get \(name) '.Lambda.LambdaConfig.AMI'`; change one with
        `ncaas blueprint set \(name) Lambda.LambdaConfig.INSTANCE_TYPE '"m5.xlarge"'`.

        """
    }
}

/// Why `ncaas configure` refused.
public enum ConfigureError: UserFacingError {
    case badName(String)
    case badOption(BlueprintFinding)
    case badAffiliate(String)
    case exists(String)
    case cannotWrite(String, String)

    public var description: String {
        switch self {
        case .badName(let problem): return problem
        case .badOption(let finding): return "\(finding.path) \(finding.message)"
        case .badAffiliate(let spec): return "The affiliate '\(spec)' is not of the form NAME or NAME:user1,user2."
        case .exists(let folder): return "\(folder) already exists: choose another name, or pass --force to overwrite its blueprint and README."
        case let .cannotWrite(path, reason): return "Could not create \(path): \(reason)."
        }
    }

    public var exitCode: Int32 {
        switch self {
        case .exists: return ExitCodes.refused
        case .cannotWrite: return ExitCodes.cannotCreate
        default: return ExitCodes.usage
        }
    }
}
