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
