/// An AWS partition: a group of regions with its own ARNs, DNS suffix and global endpoints.
///
/// ncaas knows the three public ones (the region name says which): `aws` (commercial),
/// `aws-us-gov` (GovCloud, `us-gov-*`) and `aws-cn` (China, `cn-*`).
public enum AWSPartition: String, Sendable, CaseIterable, Equatable {
    case aws = "aws"
    case govCloud = "aws-us-gov"
    case china = "aws-cn"

    /// The partition a region belongs to (commercial unless the name says otherwise).
    public init(region: String) {
        if region.hasPrefix("us-gov-") {
            self = .govCloud
        } else if region.hasPrefix("cn-") {
            self = .china
        } else {
            self = .aws
        }
    }

    /// The partition's ARN prefix part (`arn:<id>:...`).
    public var id: String { rawValue }

    /// The DNS suffix of its service endpoints (CloudFormation's `AWS::URLSuffix`).
    public var dnsSuffix: String { self == .china ? "amazonaws.com.cn" : "amazonaws.com" }

    /// IAM's one endpoint in the partition (IAM is global within a partition).
    public var iamEndpoint: String {
        switch self {
        case .aws: return "https://iam.amazonaws.com"
        case .govCloud: return "https://iam.us-gov.amazonaws.com"
        case .china: return "https://iam.cn-north-1.amazonaws.com.cn"
        }
    }

    /// The region IAM requests are signed for.
    public var iamSigningRegion: String {
        switch self {
        case .aws: return "us-east-1"
        case .govCloud: return "us-gov-west-1"
        case .china: return "cn-north-1"
        }
    }

    /// Where the partition's Price List API answers (it has one endpoint, whatever the region).
    public var pricingRegion: String { self == .china ? "cn-northwest-1" : "us-east-1" }

    /// The principal a service is named by in trust and resource policies: EC2 is
    /// `ec2.amazonaws.com.cn` in China, every other service ncaas uses keeps `amazonaws.com`.
    public func servicePrincipal(_ service: String) -> String {
        service == "ec2" ? "ec2.\(dnsSuffix)" : "\(service).amazonaws.com"
    }

    /// `arn:<partition>:<service>:<region>:<account>:<resource>`.
    public func arn(service: String, region: String = "", account: String = "", resource: String) -> String {
        "arn:\(id):\(service):\(region):\(account):\(resource)"
    }
}
