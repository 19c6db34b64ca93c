import Blueprint
import LosslessJSON

/// Renders a blueprint into its CloudFormation template. Deterministic: the same blueprint gives
/// the same bytes (members in a fixed order, affiliates in blueprint order), so the committed
/// `stacks/<name>.json` changes only when the infrastructure does.
///
/// The commit of the blueprint is not part of the template (every commit would otherwise rewrite
/// every resource, and the committed template would always name the commit before its own);
/// deploy puts it on the stack as a tag, which CloudFormation propagates to the resources.
public struct StackTemplate: Sendable {
    public let blueprint: Blueprint
    public let naming: StackNaming
    /// Whether the stack holds the job manager (the blueprint's `ncaas.manager.enabled` unless the
    /// caller decides: `deploy --no-manager`).
    public let includesManager: Bool
    /// Affiliate users under another IAM name (NeuroCAAS's `<user><REGION>`; see `AffiliateUsers`).
    public let userRenames: [String: String]

    /// The template parameter holding the CIDR allowed to reach job instances over SSH (a stack
    /// without the job manager; with it, only the manager may).
    public static let sshCIDRParameter = "SSHIngressCidr"
    /// Where a blueprint sets its default SSH CIDR: `ncaas.deploy.sshIngressCidr`.
    public static let sshCIDRPath: JSONPath = [.key(Blueprint.ncaasKey), .key("deploy"), .key("sshIngressCidr")]
    public static let defaultSSHCIDR = "0.0.0.0/0"

    /// Logical ids of the fixed resources.
    public enum Resource {
        public static let bucket = "AnalysisBucket"
        public static let jobQueue = "JobQueue"
        public static let deadLetterQueue = "JobDeadLetterQueue"
        public static let queuePolicy = "JobQueuePolicy"
        public static let instanceRole = "JobInstanceRole"
        public static let instanceProfile = "JobInstanceProfile"
        public static let securityGroup = "JobSecurityGroup"
        public static let configParameter = "AnalysisConfigParameter"
    }

    /// Output keys.
    public enum Output {
        public static let bucket = "BucketName"
        public static let queueURL = "JobQueueUrl"
        public static let queueArn = "JobQueueArn"
        public static let deadLetterQueueURL = "DeadLetterQueueUrl"
        public static let instanceProfile = "InstanceProfileName"
        public static let instanceProfileArn = "InstanceProfileArn"
        public static let securityGroup = "SecurityGroupId"
        public static let configParameter = "ConfigParameterName"
        public static let managerGroup = "ManagerGroupName"
    }

    /// Fails with the blueprint's problem when it has no valid PipelineName; callers validate
    /// the whole blueprint first. `manager` nil: as the blueprint says (on by default).
    public init(blueprint: Blueprint, manager: Bool? = nil, userRenames: [String: String] = [:]) throws {
        guard let name = blueprint.pipelineName else { throw DeployError.invalidBlueprint(["PipelineName: is missing."]) }
        if let problem = AnalysisName.problem(with: name) { throw DeployError.invalidBlueprint(["PipelineName: \(problem)"]) }
        let naming = StackNaming(analysis: name, bucket: blueprint.bucketName)
        if let problem = BucketName.problem(with: naming.bucketName) {
            throw DeployError.invalidBlueprint(["\(blueprint.document.value(at: Blueprint.bucketPath) == nil ? "PipelineName" : "ncaas.bucket"): \(problem)"])
        }
        if let problem = naming.derivedNameProblem { throw DeployError.invalidBlueprint(["PipelineName: \(problem)"]) }
        self.blueprint = blueprint
        self.naming = naming
        self.includesManager = manager ?? blueprint.manager.enabled
        self.userRenames = userRenames
    }

    var manager: ManagerResources? {
        includesManager ? ManagerResources(naming: naming, settings: blueprint.manager, tags: [(StackNaming.analysisTag, naming.analysis)],
                                           inSubnet: subnet != nil) : nil
    }

    /// The affiliates with their logical-id stems, in blueprint order.
    public var affiliates: [(affiliate: Affiliate, stem: String)] {
        let list = AffiliateUsers(renamed: userRenames, missing: []).applied(to: blueprint.affiliates)
        return Array(zip(list, LogicalIDs.affiliateStems(list.map(\.name)))).map { (affiliate: $0.0, stem: $0.1) }
    }

    /// Logical ids of an affiliate's group, its membership and its user policy.
    public static func groupID(_ stem: String) -> String { "Affiliate\(stem)Group" }
    public static func membershipID(_ stem: String) -> String { "Affiliate\(stem)Membership" }
    public static func userPolicyID(_ stem: String) -> String { "Affiliate\(stem)UserPolicy" }

    /// The template as JSON.
    public var value: JSONValue {
        TemplateJSON.object([
            ("AWSTemplateFormatVersion", .string("2010-09-09")),
            ("Description", .string("ncaas analysis \(naming.analysis): bucket, job queue, affiliate access, job instance role, deployed configuration\(manager == nil ? "" : " and job manager"). Rendered by ncaas from blueprints/\(naming.analysis)/\(Blueprint.fileName); do not edit.")),
            ("Parameters", TemplateJSON.object(parameters)),
            ("Resources", TemplateJSON.object(resources)),
            ("Outputs", TemplateJSON.object(outputs)),
        ])
    }

    /// The blueprint's `ncaas.network.subnet`: the manager goes in it and the security groups in its
    /// VPC (the `Vpc` parameter, which `ncaas deploy` fills in from DescribeSubnets); nil: the default VPC.
    public var subnet: String? { blueprint.subnet }
    public static let subnetParameter = "Subnet"
    public static let vpcParameter = "Vpc"

    /// With the job manager its image, without it who may reach job instances over SSH; and the
    /// subnet and its VPC when the blueprint names one.
    private var parameters: [(String, JSONValue)] {
        var network: [(String, JSONValue)] = []
        if let subnet {
            network = [
                (Self.subnetParameter, TemplateJSON.object([
                    ("Type", .string("AWS::EC2::Subnet::Id")),
                    ("Description", .string("The subnet the job manager runs in (the blueprint's ncaas.network.subnet).")),
                    ("Default", .string(subnet)),
                ])),
                (Self.vpcParameter, TemplateJSON.object([
                    ("Type", .string("AWS::EC2::VPC::Id")),
                    ("Description", .string("The subnet's VPC, for the security groups (ncaas deploy looks it up).")),
                ])),
            ]
        }
        if let manager { return [manager.parameter] + network }
        return [(Self.sshCIDRParameter, TemplateJSON.object([
            ("Type", .string("String")),
            ("Description", .string("The only addresses (CIDR) that may reach job instances over SSH.")),
            ("Default", .string(defaultSSHCIDR)),
            ("AllowedPattern", .string("^(\\d{1,3}\\.){3}\\d{1,3}/\\d{1,2}$")),
            ("ConstraintDescription", .string("an IPv4 CIDR such as 203.0.113.0/24")),
        ]))] + network
    }

    /// The template as text: two-space indentation and a final newline.
    public var text: String { JSONWriter(indentUnit: "  ").document(value) }

    /// The SSH CIDR the blueprint asks for, else 0.0.0.0/0.
    public var defaultSSHCIDR: String {
        blueprint.document.value(at: Self.sshCIDRPath)?.stringValue ?? Self.defaultSSHCIDR
    }

    private var tags: JSONValue { TemplateJSON.tags([(StackNaming.analysisTag, naming.analysis)]) }

    private func resource(_ type: String, _ properties: [(String, JSONValue)], extra: [(String, JSONValue)] = []) -> JSONValue {
        TemplateJSON.object([("Type", .string(type))] + extra + [("Properties", TemplateJSON.object(properties))])
    }

    private var resources: [(String, JSONValue)] {
        let policies = PolicyDocuments(naming: naming, mode: .template)
        var list: [(String, JSONValue)] = []
        list.append((Resource.bucket, bucket))
        list.append((Resource.deadLetterQueue, resource("AWS::SQS::Queue", [
            ("QueueName", .string(naming.deadLetterQueueName)),
            ("MessageRetentionPeriod", TemplateJSON.number(1_209_600)),
            ("SqsManagedSseEnabled", .bool(true)),
            ("Tags", tags),
        ])))
        list.append((Resource.jobQueue, resource("AWS::SQS::Queue", [
            ("QueueName", .string(naming.jobQueueName)),
            ("VisibilityTimeout", TemplateJSON.number(300)),
            ("MessageRetentionPeriod", TemplateJSON.number(1_209_600)),
            ("SqsManagedSseEnabled", .bool(true)),
            ("RedrivePolicy", TemplateJSON.object([
                ("deadLetterTargetArn", TemplateJSON.getAtt(Resource.deadLetterQueue, "Arn")),
                ("maxReceiveCount", TemplateJSON.number(5)),
            ])),
            ("Tags", tags),
        ])))
        list.append((Resource.queuePolicy, resource("AWS::SQS::QueuePolicy", [
            ("Queues", .array([TemplateJSON.ref(Resource.jobQueue)])),
            ("PolicyDocument", policies.queuePolicy(queueArn: TemplateJSON.getAtt(Resource.jobQueue, "Arn"))),
        ])))
        for (affiliate, stem) in affiliates {
            let policy = policies.affiliateAccess(affiliate.name)
            let policyName = naming.accessPolicyName(affiliate.name)
            list.append((Self.groupID(stem), resource("AWS::IAM::Group", [
                ("GroupName", .string(naming.groupName(affiliate.name))),
                ("Policies", .array([TemplateJSON.object([("PolicyName", .string(policyName)), ("PolicyDocument", policy)])])),
            ])))
            guard !affiliate.userNames.isEmpty else { continue }
            list.append((Self.membershipID(stem), resource("AWS::IAM::UserToGroupAddition", [
                ("GroupName", TemplateJSON.ref(Self.groupID(stem))),
                ("Users", TemplateJSON.strings(affiliate.userNames)),
            ])))
            // The same grant on the users themselves: endpoints that skip groups (moto) still
            // enforce it, and on AWS it is the same least privilege twice.
            list.append((Self.userPolicyID(stem), resource("AWS::IAM::Policy", [
                ("PolicyName", .string(policyName)),
                ("PolicyDocument", policy),
                ("Users", TemplateJSON.strings(affiliate.userNames)),
            ])))
        }
        list.append((Resource.instanceRole, resource("AWS::IAM::Role", [
            ("Description", .string("Job instances of \(naming.analysis): read the bucket, write results and logs, read the deployed configuration.")),
            ("AssumeRolePolicyDocument", policies.instanceTrust),
            ("Policies", .array([TemplateJSON.object([
                ("PolicyName", .string(naming.instancePolicyName)),
                ("PolicyDocument", policies.instanceAccess),
            ])])),
            ("Tags", tags),
        ])))
        list.append((Resource.instanceProfile, resource("AWS::IAM::InstanceProfile", [
            ("Roles", .array([TemplateJSON.ref(Resource.instanceRole)])),
        ])))
        list.append((Resource.securityGroup, resource("AWS::EC2::SecurityGroup", [
            ("GroupDescription", .string(manager == nil ? "Job instances of \(naming.analysis): SSH only from the configured CIDR"
                                                        : "Job instances of \(naming.analysis): SSH only from the job manager")),
            ("SecurityGroupIngress", .array([manager?.jobIngress ?? TemplateJSON.object([
                ("IpProtocol", .string("tcp")),
                ("FromPort", TemplateJSON.number(22)),
                ("ToPort", TemplateJSON.number(22)),
                ("CidrIp", TemplateJSON.ref(Self.sshCIDRParameter)),
                ("Description", .string("SSH")),
            ])])),
        ] + (subnet == nil ? [] : [("VpcId", TemplateJSON.ref(Self.vpcParameter))]) + [
            ("Tags", tags),
        ])))
        list.append((Resource.configParameter, resource("AWS::SSM::Parameter", [
            ("Name", .string(naming.configParameterName)),
            ("Type", .string("String")),
            ("Description", .string("The deployed LambdaConfig of \(naming.analysis) (JSON): what job runners read.")),
            // No Tags here: moto 5.2 fails on this type's map of tags; the stack's tags reach it on AWS.
            ("Value", .string(deployedConfigJSON)),
        ])))
        list += manager?.resources ?? []
        return list
    }

    private var bucket: JSONValue {
        var properties: [(String, JSONValue)] = [
            ("BucketName", .string(naming.bucketName)),
            ("BucketEncryption", TemplateJSON.object([("ServerSideEncryptionConfiguration", .array([TemplateJSON.object([
                ("ServerSideEncryptionByDefault", TemplateJSON.object([("SSEAlgorithm", .string("AES256"))])),
            ])]))])),
            ("PublicAccessBlockConfiguration", TemplateJSON.object([
                ("BlockPublicAcls", .bool(true)), ("BlockPublicPolicy", .bool(true)),
                ("IgnorePublicAcls", .bool(true)), ("RestrictPublicBuckets", .bool(true)),
            ])),
            ("OwnershipControls", TemplateJSON.object([("Rules", .array([TemplateJSON.object([("ObjectOwnership", .string("BucketOwnerEnforced"))])]))])),
        ]
        if !affiliates.isEmpty {
            properties.append(("NotificationConfiguration", TemplateJSON.object([("QueueConfigurations", .array(affiliates.map { entry in
                TemplateJSON.object([
                    ("Event", .string("s3:ObjectCreated:*")),
                    ("Queue", TemplateJSON.getAtt(Resource.jobQueue, "Arn")),
                    ("Filter", TemplateJSON.object([("S3Key", TemplateJSON.object([("Rules", .array([
                        TemplateJSON.object([("Name", .string("prefix")), ("Value", .string(naming.prefix(entry.affiliate.name) + "submissions/"))]),
                        TemplateJSON.object([("Name", .string("suffix")), ("Value", .string(StackNaming.submitSuffix))]),
                    ]))]))])),
                ])
            }))])))
        }
        properties.append(("Tags", tags))
        return resource("AWS::S3::Bucket", properties, extra: [
            ("DeletionPolicy", .string("Retain")),
            ("UpdateReplacePolicy", .string("Retain")),
            // S3 checks that it may send to the queue when the notification is set.
            ("DependsOn", .string(Resource.queuePolicy)),
        ])
    }

    /// The LambdaConfig as deployed: the blueprint's keys in its order, then NeuroCAAS's
    /// defaults for the keys it leaves out, as compact JSON.
    public var deployedConfigJSON: String {
        var members: [(key: String, value: JSONValue)] = []
        if case .object(let own)? = blueprint.document.value(at: Blueprint.lambdaConfigPath) { members = own }
        for (key, value) in LambdaConfigDefaults.values where !members.contains(where: { $0.key == key }) {
            members.append((key, value))
        }
        return JSONWriter.compact.render(.object(members), baseIndent: "")
    }

    private var outputs: [(String, JSONValue)] {
        func output(_ description: String, _ value: JSONValue) -> JSONValue {
            TemplateJSON.object([("Description", .string(description)), ("Value", value)])
        }
        return [
            (Output.bucket, output("The analysis bucket", TemplateJSON.ref(Resource.bucket))),
            (Output.queueURL, output("The job queue's URL", TemplateJSON.ref(Resource.jobQueue))),
            (Output.queueArn, output("The job queue's ARN", TemplateJSON.getAtt(Resource.jobQueue, "Arn"))),
            (Output.deadLetterQueueURL, output("The dead-letter queue's URL", TemplateJSON.ref(Resource.deadLetterQueue))),
            (Output.instanceProfile, output("The job instances' instance profile", TemplateJSON.ref(Resource.instanceProfile))),
            (Output.instanceProfileArn, output("The job instances' instance profile ARN", TemplateJSON.getAtt(Resource.instanceProfile, "Arn"))),
            (Output.securityGroup, output("The job instances' security group", TemplateJSON.getAtt(Resource.securityGroup, "GroupId"))),
            (Output.configParameter, output("The SSM parameter holding the deployed LambdaConfig", TemplateJSON.ref(Resource.configParameter))),
        ] + (manager?.outputs ?? [])
    }
}
