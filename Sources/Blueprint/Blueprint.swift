import LosslessJSON

/// A NeuroCAAS-compatible blueprint (`stack_config_template.json`) read through its lossless
/// document, with typed access that applies NeuroCAAS's defaults.
public struct Blueprint: Sendable {
    /// The key under which ncaas keeps what it adds; NeuroCAAS tools ignore it.
    public static let ncaasKey = "ncaas"
    /// The file name inside a blueprint folder.
    public static let fileName = "stack_config_template.json"

    public static let lambdaConfigPath: JSONPath = [.key("Lambda"), .key("LambdaConfig")]

    public let document: JSONDocument

    public init(document: JSONDocument) { self.document = document }

    public var pipelineName: String? { document.value(at: [.key("PipelineName")])?.stringValue }

    /// Where a blueprint names its bucket when it is not the PipelineName: `ncaas.bucket`.
    public static let bucketPath: JSONPath = [.key(ncaasKey), .key("bucket")]

    /// The analysis's S3 bucket: `ncaas.bucket`, else the PipelineName (NeuroCAAS's default).
    public var bucketName: String? { document.value(at: Self.bucketPath)?.stringValue ?? pipelineName }
    public var region: String? { document.value(at: [.key("REGION")])?.stringValue }
    public var stage: String { document.value(at: [.key("STAGE")])?.stringValue ?? LambdaConfigDefaults.defaultStage }

    /// A LambdaConfig value, or its NeuroCAAS default when the key is absent.
    public func lambdaConfig(_ key: String) -> JSONValue? {
        document.value(at: Self.lambdaConfigPath.appending(key)) ?? LambdaConfigDefaults.value(for: key)
    }

    public var ami: String? { lambdaConfig("AMI")?.stringValue }
    /// The subnet (and so the VPC) instances and security groups go in: `ncaas.network.subnet`;
    /// nil: the default VPC.
    public var subnet: String? { document.value(at: Self.subnetPath)?.stringValue }
    public static let subnetPath: JSONPath = [.key(ncaasKey), .key("network"), .key("subnet")]
    public var instanceType: String? { lambdaConfig("INSTANCE_TYPE")?.stringValue }
    public var command: String? { lambdaConfig("COMMAND")?.stringValue }

    /// The affiliates (groups of users) of the analysis.
    public var affiliates: [Affiliate] {
        guard case .array(let items)? = document.value(at: [.key("UXData"), .key("Affiliates")]) else { return [] }
        return items.compactMap { item in
            guard let name = item["AffiliateName"]?.stringValue else { return nil }
            var users: [String] = []
            if case .array(let names)? = item["UserNames"] { users = names.compactMap(\.stringValue) }
            return Affiliate(name: name, userNames: users, userInput: item["UserInput"]?.boolValue ?? false, contactEmail: item["ContactEmail"]?.stringValue)
        }
    }
}

/// A group of users allowed to submit jobs to an analysis: `UXData.Affiliates[]`.
public struct Affiliate: Equatable, Sendable {
    public var name: String
    public var userNames: [String]
    public var userInput: Bool
    public var contactEmail: String?

    public init(name: String, userNames: [String], userInput: Bool, contactEmail: String?) {
        self.name = name
        self.userNames = userNames
        self.userInput = userInput
        self.contactEmail = contactEmail
    }
}
