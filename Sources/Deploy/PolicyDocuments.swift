import LosslessJSON

/// The IAM and SQS policy documents of an analysis, written once and used two ways: in the
/// template (ARNs as `Fn::Sub` with `${AWS::Partition}`...) and resolved to plain strings when
/// ncaas converges through the service APIs what an endpoint's CloudFormation skipped.
public struct PolicyDocuments: Sendable {
    /// How an ARN pattern containing `${AWS::Partition}`, `${AWS::Region}`, `${AWS::AccountId}`
    /// becomes JSON: `Fn::Sub` in a template, its substituted string when resolved.
    public enum Mode: Sendable, Equatable {
        case template
        case resolved(partition: String, region: String, accountId: String)
    }

    public let naming: StackNaming
    public let mode: Mode

    public init(naming: StackNaming, mode: Mode) {
        self.naming = naming
        self.mode = mode
    }

    func arn(_ pattern: String) -> JSONValue {
        switch mode {
        case .template: return TemplateJSON.sub(pattern)
        case let .resolved(partition, region, accountId):
            return .string(pattern.replacingOccurrences(of: "${AWS::Partition}", with: partition)
                .replacingOccurrences(of: "${AWS::Region}", with: region)
                .replacingOccurrences(of: "${AWS::AccountId}", with: accountId))
        }
    }

    var bucketArn: String { "arn:${AWS::Partition}:s3:::\(naming.bucketName)" }

    private func statement(_ sid: String, _ actions: [String], _ resources: [JSONValue], condition: JSONValue? = nil,
                           principal: JSONValue? = nil) -> JSONValue {
        var members: [(String, JSONValue)] = [("Sid", .string(sid)), ("Effect", .string("Allow"))]
        if let principal { members.append(("Principal", principal)) }
        members.append(("Action", actions.count == 1 ? .string(actions[0]) : TemplateJSON.strings(actions)))
        members.append(("Resource", resources.count == 1 ? resources[0] : .array(resources)))
        if let condition { members.append(("Condition", condition)) }
        return TemplateJSON.object(members)
    }

    private func document(_ statements: [JSONValue]) -> JSONValue {
        TemplateJSON.object([("Version", .string("2012-10-17")), ("Statement", .array(statements))])
    }

    /// Least privilege over one affiliate's prefix: list it; put and delete in inputs, configs
    /// and submissions; get results and configs. Nothing of any other group.
    public func affiliateAccess(_ affiliate: String) -> JSONValue {
        let prefix = naming.prefix(affiliate)
        let objects = { (folder: String) in self.arn("\(self.bucketArn)/\(prefix)\(folder)*") }
        return document([
            statement("ListOwnPrefix", ["s3:ListBucket"], [arn(bucketArn)],
                      condition: TemplateJSON.object([("StringLike", TemplateJSON.object([("s3:prefix", TemplateJSON.strings([prefix, "\(prefix)*"]))]))])),
            statement("WriteOwnInputsConfigsSubmissions", ["s3:PutObject", "s3:DeleteObject"],
                      ["inputs/", "configs/", "submissions/"].map(objects)),
            statement("ReadOwnResultsAndConfigs", ["s3:GetObject"], ["results/", "configs/"].map(objects)),
        ])
    }

    /// The job instances' role: read the bucket, write results and logs, read the deployed config.
    public var instanceAccess: JSONValue {
        document([
            statement("ReadAnalysisBucket", ["s3:GetObject", "s3:ListBucket"], [arn(bucketArn), arn("\(bucketArn)/*")]),
            statement("WriteResultsAndLogs", ["s3:PutObject"], [arn("\(bucketArn)/*/results/*")]),
            statement("ReadDeployedConfig", ["ssm:GetParameter"],
                      [arn("arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter\(naming.configParameterName)")]),
        ])
    }

    /// The job manager's role: exactly what `ncaas jobs serve` does for this analysis. The bucket
    /// (submissions, leases, status files, results, its own build and heartbeat), the job queue,
    /// the deployed configuration and the public parameters naming base images, the stack's
    /// description, launching, describing, tagging, reaching (console output) and terminating job
    /// instances with ncaas's key pair, and passing the job role to them (direct staging).
    public var managerAccess: JSONValue {
        document([
            statement("AnalysisBucket", ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket"], [arn(bucketArn), arn("\(bucketArn)/*")]),
            statement("JobQueue", ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueUrl", "sqs:GetQueueAttributes"],
                      [arn("arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:\(naming.jobQueueName)")]),
            statement("DeployedConfigAndPublicImages", ["ssm:GetParameter"], [
                arn("arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter\(naming.configParameterName)"),
                arn("arn:${AWS::Partition}:ssm:${AWS::Region}::parameter/aws/service/*"),
            ]),
            statement("OwnStack", ["cloudformation:DescribeStacks", "cloudformation:DescribeStackResources"],
                      [arn("arn:${AWS::Partition}:cloudformation:${AWS::Region}:${AWS::AccountId}:stack/\(naming.stackName)/*")]),
            statement("JobInstances", ["ec2:RunInstances", "ec2:DescribeInstances", "ec2:TerminateInstances", "ec2:CreateTags",
                                       "ec2:DescribeImages", "ec2:GetConsoleOutput", "ec2:ImportKeyPair", "ec2:DescribeKeyPairs",
                                       "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVpcs", "sts:GetCallerIdentity"], [.string("*")]),
            statement("PassJobRole", ["iam:PassRole", "iam:GetInstanceProfile"], [
                arn("arn:${AWS::Partition}:iam::${AWS::AccountId}:role/*"), arn("arn:${AWS::Partition}:iam::${AWS::AccountId}:instance-profile/*"),
            ]),
        ])
    }

    /// Lets only this analysis's bucket (in this account) send to the job queue.
    public func queuePolicy(queueArn: JSONValue) -> JSONValue {
        document([
            statement("AllowAnalysisBucketNotifications", ["sqs:SendMessage"], [queueArn],
                      condition: TemplateJSON.object([
                          ("ArnEquals", TemplateJSON.object([("aws:SourceArn", arn(bucketArn))])),
                          ("StringEquals", TemplateJSON.object([("aws:SourceAccount", arn("${AWS::AccountId}"))])),
                      ]),
                      principal: TemplateJSON.object([("Service", .string("s3.amazonaws.com"))])),
        ])
    }

    /// The EC2 trust policy of the instance role. EC2's service principal is
    /// `ec2.amazonaws.com.cn` in China: `ec2.${AWS::URLSuffix}` is right in every partition.
    public var instanceTrust: JSONValue {
        let principal: JSONValue
        switch mode {
        case .template: principal = TemplateJSON.sub("ec2.${AWS::URLSuffix}")
        case .resolved(let partition, _, _): principal = .string("ec2." + (partition == "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com"))
        }
        return TemplateJSON.object([
            ("Version", .string("2012-10-17")),
            ("Statement", .array([TemplateJSON.object([
                ("Effect", .string("Allow")),
                ("Principal", TemplateJSON.object([("Service", principal)])),
                ("Action", .string("sts:AssumeRole")),
            ])])),
        ])
    }
}
