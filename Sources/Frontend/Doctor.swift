import AWS
import Foundation
import LosslessJSON
import Support

/// `ncaas doctor`: who you are (STS), which profile, region and endpoints are in use and where
/// each came from, and — when something is missing or wrong — one sentence saying what.
public struct Doctor {
    /// What was found. Each part is nil when it could not be resolved.
    public struct Report {
        public var profile: Sourced<String>?
        public var credentials: ResolvedCredentials?
        public var region: Sourced<String>?
        public var endpoints: [ServiceEndpoint] = []
        public var identity: CallerIdentity?
        /// The first problem, as the error that explains it.
        public var problem: (any UserFacingError)?
        /// Seconds the STS call took, when made.
        public var identitySeconds: Double?
    }

    private let overrides: ConfigurationOverrides
    private let makeResolver: (ConfigurationOverrides) throws -> AWSConfigurationResolver
    private let transport: any HTTPTransport

    public init(overrides: ConfigurationOverrides,
                transport: any HTTPTransport = CurlTransport(),
                makeResolver: @escaping (ConfigurationOverrides) throws -> AWSConfigurationResolver = { try .forProcess(overrides: $0) }) {
        self.overrides = overrides
        self.transport = transport
        self.makeResolver = makeResolver
    }

    /// Resolves each part in turn and asks STS who the credentials belong to. Never throws:
    /// the first failure is recorded in `problem` and the parts found so far are kept.
    public func run() -> Report {
        var report = Report()
        let resolver: AWSConfigurationResolver
        do { resolver = try makeResolver(overrides) } catch { report.problem = Self.userFacing(error); return report }
        report.profile = resolver.profile
        do {
            let region = try resolver.region()
            report.region = region
            report.endpoints = try AWSService.allCases.map { try resolver.endpoint(for: $0, region: region.value) }
        } catch {
            report.problem = Self.userFacing(error)
        }
        do { report.credentials = try resolver.credentials(region: report.region?.value) } catch {
            if report.problem == nil { report.problem = Self.userFacing(error) }
        }
        guard report.problem == nil, let region = report.region, let credentials = report.credentials else { return report }
        let configuration = AWSConfiguration(
            profile: resolver.profile, credentials: credentials, region: region,
            endpoints: Dictionary(uniqueKeysWithValues: report.endpoints.map { ($0.service, $0) }))
        // The same retries as every command (a busy endpoint is not a broken one); one that refuses
        // connections is given up on after three attempts (RetryPolicy.attempts(for:)).
        let client = AWSClient(configuration: configuration, transport: transport)
        let start = Date()
        do {
            report.identity = try STSClient(client).getCallerIdentity()
            report.identitySeconds = Date().timeIntervalSince(start)
        } catch {
            report.problem = Self.userFacing(error)
        }
        return report
    }

    /// `in 59 min`, `in 5 h 59 min`, `expired`.
    static func remaining(until date: Date, now: Date = Date()) -> String {
        let minutes = Int(date.timeIntervalSince(now) / 60)
        guard minutes > 0 else { return "expired" }
        return minutes < 60 ? "in \(minutes) min" : "in \(minutes / 60) h \(minutes % 60) min"
    }

    static func userFacing(_ error: Error) -> any UserFacingError {
        let hinted = NewcomerHints.withHint(error)
        return (hinted as? UserFacingError) ?? GenericFailure(message: "\(hinted)")
    }

    /// Lines for people. Only endpoints someone configured are listed one by one; the others
    /// are summarised as AWS's public endpoints.
    public static func text(_ report: Report) -> String {
        var lines: [String] = []
        func row(_ label: String, _ value: String) { lines.append(label.padding(toLength: 12, withPad: " ", startingAt: 0) + value) }
        if let identity = report.identity {
            row("identity", "\(identity.arn) (account \(identity.account))")
        } else {
            row("identity", "unknown")
        }
        row("profile", report.profile?.description ?? "unknown")
        row("credentials", report.credentials.map { "\($0.credentials.redactedAccessKeyId) (\($0.source.phrase))" } ?? "none")
        if let credentials = report.credentials {
            row("expires", credentials.expiration.map { "\(CredentialDates.format($0)) (\(Self.remaining(until: $0))); renewed before then" }
                ?? "never (long-term keys)")
        }
        row("region", report.region?.description ?? "none")
        let custom = report.endpoints.filter(\.isCustom)
        if custom.count == report.endpoints.count, let first = custom.first, custom.allSatisfy({ $0.url == first.url && $0.source == first.source }) {
            row("endpoint", "\(first.url) for every service (\(first.source.phrase))")
        } else {
            for endpoint in custom { row("endpoint", "\(endpoint.service.rawValue): \(endpoint.url) (\(endpoint.source.phrase))") }
        }
        if !report.endpoints.isEmpty && custom.count < report.endpoints.count {
            let rest = report.endpoints.filter { !$0.isCustom }.map(\.service.rawValue)
            row("endpoint", "AWS's public endpoints for \(rest.joined(separator: ", "))")
        }
        if let problem = report.problem {
            lines.append("")
            lines.append("problem: \(problem.description)")
        } else {
            lines.append("")
            lines.append("ok: the credentials work\(report.identitySeconds.map { String(format: " (STS answered in %.0f ms)", $0 * 1000) } ?? "").")
        }
        return lines.joined(separator: "\n")
    }

    /// The same as JSON (secrets never included: the access key id is shortened).
    public static func json(_ report: Report) -> JSONValue {
        func sourced(_ value: Sourced<String>?) -> JSONValue {
            guard let value else { return .null }
            return .object([("value", .string(value.value)), ("source", .string(value.source.description))])
        }
        var members: [(key: String, value: JSONValue)] = []
        members.append(("ok", .bool(report.problem == nil)))
        if let identity = report.identity {
            members.append(("identity", .object([("account", .string(identity.account)), ("arn", .string(identity.arn)), ("userId", .string(identity.userId))])))
        } else {
            members.append(("identity", .null))
        }
        members.append(("profile", sourced(report.profile)))
        members.append(("credentials", report.credentials.map {
            .object([("accessKeyId", .string($0.credentials.redactedAccessKeyId)), ("source", .string($0.source.description)),
                     ("temporary", .bool($0.credentials.sessionToken != nil || $0.expiration != nil)),
                     ("expiration", $0.expiration.map { .string(CredentialDates.format($0)) } ?? .null)])
        } ?? .null))
        members.append(("region", sourced(report.region)))
        members.append(("endpoints", .object(report.endpoints.map { ($0.service.rawValue, .object([("url", .string($0.url)), ("source", .string($0.source.description)), ("signingRegion", .string($0.signingRegion))])) })))
        members.append(("problem", report.problem.map { .string($0.description) } ?? .null))
        return .object(members)
    }
}

/// An error with only a message.
public struct GenericFailure: UserFacingError {
    public var message: String
    public var exitCode: Int32 { ExitCodes.failure }
    public var description: String { message }
}
