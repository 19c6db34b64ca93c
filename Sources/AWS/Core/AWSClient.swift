import Foundation
import SigV4

/// The shared core every service client sends through: endpoint, region, credentials,
/// transport, retry policy, and the injected clock and sleeper.
///
/// Every attempt is signed afresh (a new `x-amz-date` from `clock`), so a retried request
/// is never rejected as stale. Service clients (`EC2Client`, `S3Client`, ...) wrap one core.
public struct AWSClient: Sendable {
    /// The region requests are made in (and signed for, unless the service is global).
    public var region: String
    /// The endpoint every service uses, when one is configured (moto, LocalStack).
    public var endpoint: String?
    /// Per-service endpoints, taking precedence over `endpoint` (`AWS_ENDPOINT_URL_S3`...).
    public var serviceEndpoints: [AWSService: String]
    public var transport: any HTTPTransport
    public var retryPolicy: RetryPolicy
    /// Returns the credentials to sign with; called once per attempt so refreshed
    /// credentials are picked up.
    public var credentials: @Sendable () throws -> SigningCredentials
    /// The current time, for signing and waiter deadlines.
    public var clock: @Sendable () -> Date
    /// Sleeps for a number of seconds (retry backoff, waiter polling).
    public var sleep: @Sendable (TimeInterval) -> Void
    /// The server's clock minus this machine's, once a skewed request taught it (see `send`).
    public let clockOffset = ClockOffset()

    /// A client that signs with fixed credentials.
    public init(region: String, credentials: SigningCredentials, transport: any HTTPTransport,
                endpoint: String? = nil, serviceEndpoints: [AWSService: String] = [:],
                retryPolicy: RetryPolicy = .standard,
                clock: @escaping @Sendable () -> Date = { Date() },
                sleep: @escaping @Sendable (TimeInterval) -> Void = { Thread.sleep(forTimeInterval: $0) }) {
        self.init(region: region, credentialsProvider: { credentials }, transport: transport, endpoint: endpoint,
                  serviceEndpoints: serviceEndpoints, retryPolicy: retryPolicy, clock: clock, sleep: sleep)
    }

    /// A client that asks `credentialsProvider` for credentials before every attempt.
    public init(region: String, credentialsProvider: @escaping @Sendable () throws -> SigningCredentials,
                transport: any HTTPTransport, endpoint: String? = nil,
                serviceEndpoints: [AWSService: String] = [:], retryPolicy: RetryPolicy = .standard,
                clock: @escaping @Sendable () -> Date = { Date() },
                sleep: @escaping @Sendable (TimeInterval) -> Void = { Thread.sleep(forTimeInterval: $0) }) {
        self.region = region
        self.endpoint = endpoint
        self.serviceEndpoints = serviceEndpoints
        self.transport = transport
        self.retryPolicy = retryPolicy
        self.credentials = credentialsProvider
        self.clock = clock
        self.sleep = sleep
    }

    /// Whether requests to this service go to a configured endpoint rather than AWS's own.
    public func hasCustomEndpoint(_ service: AWSService) -> Bool {
        serviceEndpoints[service] != nil || endpoint != nil
    }

    /// The endpoint requests to a service go to.
    public func endpointURL(for service: AWSService) throws -> EndpointURL {
        let text = serviceEndpoints[service] ?? endpoint ?? service.defaultEndpoint(region: region)
        guard let url = EndpointURL(text) else {
            throw AWSClientError(.invalidInput, "The \(service.displayName) endpoint \"\(text)\" is not an http(s) URL.")
        }
        return url
    }

    /// The region requests to a service are signed for.
    public func signingRegion(for service: AWSService) -> String {
        hasCustomEndpoint(service) ? region : service.defaultSigningRegion(region: region)
    }
}

/// One call as the core sends it.
struct AWSCall {
    var service: AWSService
    /// The operation name, for errors ("DescribeInstances").
    var operation: String
    /// Whether sending it twice has the same effect as sending it once.
    var idempotent: Bool
    var method: String
    /// Absolute, encoded URL.
    var url: String
    var headers: [(name: String, value: String)] = []
    var body: HTTPBody = .empty
    var sink: HTTPResponseSink = .memory
    /// Error codes that, answering an attempt sent after one whose reply was lost, say that the
    /// lost attempt did the work ("NoSuchEntity" for a delete, "InvalidPermission.Duplicate" for an
    /// authorize): such a call is retried like an idempotent one, and that answer is its success.
    var settledCodes: Set<String> = []
    /// Error codes of a resource that was just created and is not visible yet (EC2's eventual
    /// consistency: "InvalidInstanceID.NotFound" right after RunInstances): retried with backoff.
    var notYetVisibleCodes: Set<String> = []
}

extension AWSClient {
    /// Signs and sends a call, retrying as the retry policy allows. Returns a 2xx reply;
    /// throws `AWSError` for an error reply and `AWSConnectionError` when no reply came.
    ///
    /// Besides the policy's retries: a call refused because this machine's clock is off is
    /// signed again once with the server's time (from its `Date` header), and every later call
    /// of this client uses that correction.
    func send(_ call: AWSCall) throws -> HTTPResponse {
        let payloadHash = try PayloadHash.sha256Hex(of: call.body)
        let signingRegion = signingRegion(for: call.service)
        let flavor: SigningFlavor = call.service == .s3 ? .s3 : .standard
        let retriable = call.idempotent || !call.settledCodes.isEmpty
        // The signer signs the Host header curl sends (derived from the URL).
        let headers = call.headers
        var attempt = 0
        /// An earlier attempt may have reached the server and acted (its reply was lost or a 5xx).
        var maybeActed = false
        var correctedClock = false
        while true {
            attempt += 1
            let signer = SigV4Signer(credentials: try credentials(), region: signingRegion,
                                     service: call.service.signingName, flavor: flavor)
            let signed = signer.sign(method: call.method, url: call.url, headers: headers,
                                     payloadSHA256Hex: payloadHash, date: clock().addingTimeInterval(clockOffset.value))
            let request = HTTPRequest(method: call.method, url: call.url, headers: signed, body: call.body)
            let delay: TimeInterval
            do {
                let response = try transport.send(request, sink: call.sink)
                if response.status < 300 || (call.method == "HEAD" && response.status == 304) {
                    return response
                }
                let error = AWSErrorReply.parse(response: response, service: call.service,
                                                operation: call.operation, attempts: attempt)
                if maybeActed, call.settledCodes.contains(error.code) {
                    return HTTPResponse(status: 200, headers: [], body: Data())
                }
                if ClockOffset.isSkewRefusal(error), !correctedClock,
                   let server = ClockOffset.serverDate(response.header("Date")),
                   abs(server.timeIntervalSince(clock()) - clockOffset.value) > 60 {
                    correctedClock = true
                    clockOffset.set(server.timeIntervalSince(clock()))
                    attempt -= 1  // the correction is not one of the policy's attempts
                    continue
                }
                let retryAfter = RetryPolicy.retryAfter(response)
                let notYetVisible = call.notYetVisibleCodes.contains(error.code)
                guard attempt < retryPolicy.maxAttempts,
                      notYetVisible || retryPolicy.shouldRetry(error, idempotent: retriable),
                      (retryAfter ?? 0) <= retryPolicy.maxRetryAfter else {
                    throw correctedClock && ClockOffset.isSkewRefusal(error) ? error.withClockHint(offset: clockOffset.value) : error
                }
                if error.status >= 500, error.status != 503 { maybeActed = true }
                delay = max(notYetVisible ? retryPolicy.visibilityBackoff(retry: attempt) : retryPolicy.backoff(retry: attempt), retryAfter ?? 0)
            } catch let failure as TransportError {
                guard attempt < retryPolicy.attempts(for: failure),
                      retryPolicy.shouldRetry(failure, idempotent: retriable) else {
                    throw AWSConnectionError(service: call.service, operation: call.operation,
                                             underlying: failure, attempts: attempt)
                }
                if failure.kind != .cannotConnect { maybeActed = true }
                delay = retryPolicy.backoff(retry: attempt)
            }
            if delay > 0 { sleep(delay) }
        }
    }
}
