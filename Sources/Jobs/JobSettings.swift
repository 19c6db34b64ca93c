import Blueprint
import Foundation
import LosslessJSON

/// How a dataset and its config reach the instance.
public enum JobStaging: String, Sendable, Equatable, CaseIterable {
    /// ncaas copies them from S3 into the instance over SFTP (the default): instances need no
    /// credentials, and COMMAND reads `$NCAAS_INPUT` and `$NCAAS_CONFIG`.
    case sftp
    /// NeuroCAAS's way: COMMAND fetches the dataset and config from S3 itself, with the job
    /// instance profile's credentials, and may write its results there. ncaas still collects
    /// `$NCAAS_OUTPUT`, the status files and the certificate.
    case direct
}

/// What a job takes from the analysis's blueprint (`Lambda.LambdaConfig`, NeuroCAAS's defaults
/// applied): the image and instance type, the COMMAND, where and as whom it runs, and the limits.
public struct JobSettings: Sendable, Equatable {
    public var analysis: String
    /// The analysis's bucket: `ncaas.bucket`, else the PipelineName (NeuroCAAS's default).
    public var bucket: String
    /// The AMI id or alias the job's instances start from.
    public var image: String
    public var instanceType: String
    /// COMMAND, with exactly four positional `{}`.
    public var command: String
    /// WORKING_DIRECTORY (a leading `~` is the login user's home, where the image build installed).
    public var workingDirectory: String
    /// SSM_TIMEOUT: how long COMMAND may run on an instance, in seconds, unless the config's
    /// `__duration__` (minutes) sets the job's own limit.
    public var commandTimeoutSeconds: Double
    /// EXECUTION_TIMEOUT: the launcher's own limit, in seconds: from the submission to COMMAND
    /// running on every instance (NeuroCAAS's job Lambda's timeout).
    public var launchTimeoutSeconds: Double
    /// DEPLOY_LIMIT: how many job instances of the analysis may run at once.
    public var deployLimit: Int
    /// MAXCOST: dollars a group may spend, past jobs and this one's worst case together.
    public var maxCost: Double
    /// `ncaas.jobs.staging`: "sftp" (the default) or "direct".
    public var staging: JobStaging
    /// `ncaas.jobs.market`: "on-demand" (the default), "spot" or "spot-then-on-demand".
    public var market: JobMarket = .onDemand
    /// `ncaas.jobs.user`: who runs COMMAND; `root` by default, as NeuroCAAS's SSM does.
    public var commandUser: String
    /// `ncaas.ssh.user`: who ncaas logs in as; nil: the image's default user.
    public var loginUser: String?
    /// The subnet job instances go in (`ncaas.network.subnet`); nil: the default VPC.
    public var subnetId: String?

    /// Who runs COMMAND unless the blueprint says otherwise.
    public static let defaultCommandUser = "root"

    public init(analysis: String, bucket: String? = nil, image: String, instanceType: String, command: String, workingDirectory: String = "~/bin",
                commandTimeoutSeconds: Double = 172_000, launchTimeoutSeconds: Double = 900, deployLimit: Int = 100, maxCost: Double = 300,
                staging: JobStaging = .sftp, commandUser: String = JobSettings.defaultCommandUser, loginUser: String? = nil) {
        self.staging = staging
        self.analysis = analysis
        self.bucket = bucket ?? analysis
        self.image = image
        self.instanceType = instanceType
        self.command = command
        self.workingDirectory = workingDirectory
        self.commandTimeoutSeconds = commandTimeoutSeconds
        self.launchTimeoutSeconds = launchTimeoutSeconds
        self.deployLimit = deployLimit
        self.maxCost = maxCost
        self.commandUser = commandUser
        self.loginUser = loginUser
    }

    /// The settings of `blueprint`; a missing or malformed field is one sentence naming it.
    public static func from(_ blueprint: Blueprint) throws -> JobSettings {
        guard let analysis = blueprint.pipelineName else { throw JobError(.badInput, "The blueprint has no PipelineName.") }
        func required(_ key: String) throws -> String {
            guard let value = blueprint.lambdaConfig(key)?.stringValue, !value.isEmpty else {
                throw JobError(.badInput, "The blueprint's Lambda.LambdaConfig.\(key) is missing; a job needs it.")
            }
            return value
        }
        // Only values inside their field's range reach a job (and an Int): see LambdaConfigNumbers.
        func number(_ field: LambdaConfigNumbers.Field) throws -> Double {
            guard let value = blueprint.lambdaConfig(field.key) else { throw JobError(.badInput, "The blueprint's Lambda.LambdaConfig.\(field.key) is missing.") }
            switch LambdaConfigNumbers.check(value, field) {
            case .success(let number): return number
            case .failure(let problem): throw JobError(.badInput, "The blueprint's Lambda.LambdaConfig.\(field.key) \(problem.message)")
            }
        }
        func own(_ keys: String...) -> JSONValue? {
            blueprint.document.value(at: JSONPath([.key(Blueprint.ncaasKey)] + keys.map { .key($0) }))
        }
        func userName(_ keys: String...) throws -> String? {
            guard let value = blueprint.document.value(at: JSONPath([.key(Blueprint.ncaasKey)] + keys.map { .key($0) })) else { return nil }
            guard let name = value.stringValue, NCAASSettings.isUserName(name) else {
                throw JobError(.badInput, "The blueprint's ncaas.\(keys.joined(separator: ".")) must be a user name such as \"root\" or \"ubuntu\".")
            }
            return name
        }
        let command = try required("COMMAND")
        try JobCommandLine.checkTemplate(command)
        var staging = JobStaging.sftp
        if let value = own("jobs", "staging") {
            guard let name = value.stringValue, let chosen = JobStaging(rawValue: name) else {
                throw JobError(.badInput, "The blueprint's ncaas.jobs.staging must be \"sftp\" (ncaas copies the dataset in) or \"direct\" (COMMAND reads S3 itself).")
            }
            staging = chosen
        }
        var settings = JobSettings(analysis: analysis, bucket: blueprint.bucketName, image: try required("AMI"), instanceType: try required("INSTANCE_TYPE"), command: command,
                                   workingDirectory: blueprint.lambdaConfig("WORKING_DIRECTORY")?.stringValue ?? "~/bin",
                                   commandTimeoutSeconds: try number(LambdaConfigNumbers.ssmTimeout),
                                   launchTimeoutSeconds: try number(LambdaConfigNumbers.executionTimeout),
                                   deployLimit: Int(try number(LambdaConfigNumbers.deployLimit)), maxCost: try number(LambdaConfigNumbers.maxCost), staging: staging,
                                   commandUser: try userName("jobs", "user") ?? defaultCommandUser, loginUser: try userName("ssh", "user"))
        settings.subnetId = blueprint.subnet
        if let value = blueprint.document.value(at: [.key(Blueprint.ncaasKey), .key("jobs"), .key("market")]) {
            guard let name = value.stringValue, let chosen = JobMarket(rawValue: name) else {
                throw JobError(.badInput, "The blueprint's ncaas.jobs.market must be \(JobMarket.choices) (where job instances come from); correct it with `ncaas blueprint set \(analysis) ncaas.jobs.market '\"spot\"'`.")
            }
            settings.market = chosen
        }
        return settings
    }
}
