/// The AWS services ncaas talks to, with what each needs to be addressed and signed.
public enum AWSService: String, Sendable, CaseIterable, Hashable {
    case ec2, s3, cloudformation, iam, sts, sqs, ssm
    /// AWS's Price List API (`ncaas cost`): one endpoint per partition, in its home region.
    case pricing

    /// The name SigV4 signs with (the credential scope's service).
    public var signingName: String { rawValue }

    /// The name shown to users ("EC2", "CloudFormation").
    public var displayName: String {
        switch self {
        case .ec2: return "EC2"
        case .s3: return "S3"
        case .cloudformation: return "CloudFormation"
        case .iam: return "IAM"
        case .sts: return "STS"
        case .sqs: return "SQS"
        case .ssm: return "SSM"
        case .pricing: return "Price List"
        }
    }

    /// The query-protocol API version (nil for S3, which is REST, and SSM, which speaks JSON 1.1).
    public var apiVersion: String? {
        switch self {
        case .ec2: return "2016-11-15"
        case .iam: return "2010-05-08"
        case .sts: return "2011-06-15"
        case .cloudformation: return "2010-05-15"
        case .sqs: return "2012-11-05"
        case .s3, .ssm, .pricing: return nil
        }
    }

    /// The public AWS endpoint for a region (used when no endpoint is configured), in the
    /// region's partition: `amazonaws.com.cn` in China; IAM has one endpoint per partition.
    public func defaultEndpoint(region: String) -> String {
        let partition = AWSPartition(region: region)
        switch self {
        case .iam:
            return partition.iamEndpoint
        case .pricing:
            return "https://api.pricing.\(partition.pricingRegion).\(partition.dnsSuffix)"
        default:
            return "https://\(rawValue).\(region).\(partition.dnsSuffix)"
        }
    }

    /// The region requests to the public endpoint are signed for (IAM signs for its partition's
    /// home region: us-east-1, us-gov-west-1 or cn-north-1; the Price List for its own).
    public func defaultSigningRegion(region: String) -> String {
        switch self {
        case .iam: return AWSPartition(region: region).iamSigningRegion
        case .pricing: return AWSPartition(region: region).pricingRegion
        default: return region
        }
    }
}
