import Foundation

/// An error reply from an AWS service: what was refused, with AWS's own code, message and
/// request id. `description` is one sentence a user can act on; it never carries secrets.
public struct AWSError: Error, Sendable, Equatable, CustomStringConvertible {
    public var service: AWSService
    /// The operation that was refused, e.g. "DescribeInstances".
    public var operation: String
    /// The HTTP status of the reply.
    public var status: Int
    /// AWS's error code, e.g. "AuthFailure", "NoSuchKey", "Throttling".
    public var code: String
    /// AWS's error message (may be empty).
    public var message: String
    /// The request id AWS gave the reply, for support cases and logs.
    public var requestId: String?
    /// How many times the request was sent before giving up.
    public var attempts: Int
    /// S3's `x-amz-bucket-region` header: the region a bucket is in, when S3 said (a 301 does).
    public var bucketRegion: String?

    public init(service: AWSService, operation: String, status: Int, code: String, message: String,
                requestId: String? = nil, attempts: Int = 1) {
        self.service = service
        self.operation = operation
        self.status = status
        self.code = code
        self.message = message
        self.requestId = requestId
        self.attempts = attempts
    }

    public var description: String {
        var sentence = "\(service.displayName) refused \(operation): \(code)"
        let trimmed = message.trimmingCharacters(in: .whitespacesAndNewlines)
        if !trimmed.isEmpty { sentence += " — " + trimmed.trimmingCharacters(in: CharacterSet(charactersIn: ".")) }
        var notes: [String] = []
        if let requestId, !requestId.isEmpty { notes.append("request id \(requestId)") }
        if attempts > 1 { notes.append("after \(attempts) attempts") }
        if !notes.isEmpty { sentence += " (" + notes.joined(separator: ", ") + ")" }
        sentence += "."
        if let hint { sentence += " " + hint }
        return sentence
    }

    /// What the user can do about this error, for the codes where that is clear.
    public var hint: String? {
        switch code {
        case "SignatureDoesNotMatch":
            return "Check your secret access key (and that the endpoint and region are the ones the key belongs to)."
        case "AuthFailure", "InvalidClientTokenId", "UnrecognizedClientException", "InvalidAccessKeyId":
            return "Check your access key and secret."
        case "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "Forbidden":
            return "The credentials are valid but their IAM policy does not allow this; ask for the permission or use another profile."
        case "ExpiredToken", "ExpiredTokenException", "RequestExpired", "TokenRefreshRequired":
            return "Your session credentials have expired; refresh them (e.g. aws sso login) and try again."
        case "PermanentRedirect", "AuthorizationHeaderMalformed", "IllegalLocationConstraintException":
            return "The bucket is in another region than the one configured; use the bucket's region."
        case "NoSuchBucket":
            return "Check the bucket name, or create the bucket first."
        case "OptInRequired":
            return "The account is not subscribed to this service in this region."
        case "VPCIdNotSpecified":
            return "This account has no default VPC in this region (many institutional accounts have none): name a subnet with --subnet SUBNET-ID or ncaas.network.subnet in the blueprint."
        case "InvalidSubnetID.NotFound":
            return "Check the subnet id and its region: `aws ec2 describe-subnets --query 'Subnets[].[SubnetId,VpcId,AvailabilityZone]'` lists this region's."
        case "InsufficientInstanceCapacity":
            return "AWS has no capacity for this instance type in this Availability Zone just now; try another subnet (--subnet) or type, or later."
        case "VcpuLimitExceeded", "InstanceLimitExceeded":
            return "The account's vCPU quota for this instance family is used up; raise it in the Service Quotas console (EC2 > Running On-Demand instances) or end instances you do not need (`ncaas cost` lists what runs)."
        default:
            return nil
        }
    }

    /// The same error with a sentence about this machine's clock, which stayed refused after the
    /// client corrected its time by `offset` seconds from the server's `Date`.
    func withClockHint(offset: TimeInterval) -> AWSError {
        var copy = self
        let minutes = Int((abs(offset) / 60).rounded())
        copy.message += (copy.message.isEmpty ? "" : ". ") + "This machine's clock is \(minutes) minute\(minutes == 1 ? "" : "s") \(offset > 0 ? "behind" : "ahead of") the service's and the request was still refused after correcting for it; set the clock right (for example `sudo timedatectl set-ntp true`) and try again"
        return copy
    }

    /// True when AWS asked the caller to slow down.
    public var isThrottling: Bool { AWSError.throttlingCodes.contains(code) || status == 429 }

    /// True when the credentials themselves were rejected (signature, unknown key, expired token).
    public var isAuthenticationFailure: Bool {
        ["SignatureDoesNotMatch", "AuthFailure", "InvalidClientTokenId", "UnrecognizedClientException",
         "InvalidAccessKeyId", "ExpiredToken", "ExpiredTokenException", "RequestExpired"].contains(code)
    }

    /// True when the request was authenticated but not authorised.
    public var isAccessDenied: Bool {
        ["AccessDenied", "AccessDeniedException", "UnauthorizedOperation"].contains(code)
    }

    /// The error codes AWS services use to ask for a slower request rate.
    public static let throttlingCodes: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException",
        "TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
        "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
        "EC2ThrottledException",
    ]
}

/// The request never got a whole reply: the endpoint could not be reached or the
/// connection dropped. Carries the transport's own message.
public struct AWSConnectionError: Error, Sendable, CustomStringConvertible {
    public var service: AWSService
    public var operation: String
    public var underlying: TransportError
    /// How many times the request was sent before giving up.
    public var attempts: Int

    public init(service: AWSService, operation: String, underlying: TransportError, attempts: Int) {
        self.service = service
        self.operation = operation
        self.underlying = underlying
        self.attempts = attempts
    }

    public var description: String {
        let what: String
        switch underlying.kind {
        case .cannotConnect: what = "could not connect to"
        case .connectionLost: what = "lost the connection to"
        case .timedOut: what = "timed out talking to"
        case .tls: what = "could not establish a trusted TLS connection to"
        case .localFile: what = "could not read or write a local file while talking to"
        case .other: what = "failed talking to"
        }
        let tries = attempts > 1 ? " after \(attempts) attempts" : ""
        return "\(service.displayName) \(operation) \(what) \(underlying.url)\(tries): \(underlying.message). Check the endpoint URL and your network."
    }
}

/// Something went wrong on the client side of a call: a reply that could not be read,
/// an input that cannot be sent, a waiter or paginator that gave up.
public struct AWSClientError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case invalidResponse
        case invalidInput
        case pageLimitExceeded
        case waiterTimedOut
        case waiterFailed
    }
    public var kind: Kind
    /// One sentence saying what happened.
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
