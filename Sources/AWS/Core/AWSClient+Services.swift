/// The service clients over one core, e.g. `client.ec2.describeInstances()`.
extension AWSClient {
    public var ec2: EC2Client { EC2Client(self) }
    public var s3: S3Client { S3Client(self) }
    public var cloudFormation: CloudFormationClient { CloudFormationClient(self) }
    public var iam: IAMClient { IAMClient(self) }
    public var sts: STSClient { STSClient(self) }
    public var sqs: SQSClient { SQSClient(self) }
    public var ssm: SSMClient { SSMClient(self) }
}
