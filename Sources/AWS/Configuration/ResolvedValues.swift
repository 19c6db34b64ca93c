import Foundation
import SigV4

/// Credentials and where they came from. Printing it shows the access key id shortened,
/// never the secret or the session token.
public struct ResolvedCredentials: Sendable, Equatable, CustomStringConvertible {
    public var credentials: SigningCredentials
    public var source: ConfigurationSource
    /// When temporary credentials stop working (instance metadata); nil when unknown.
    public var expiration: Date?

    public init(credentials: SigningCredentials, source: ConfigurationSource, expiration: Date? = nil) {
        self.credentials = credentials
        self.source = source
        self.expiration = expiration
    }

    /// `AKIA…WXYZ (from AWS_ACCESS_KEY_ID)`, noting a session token and an expiry.
    public var description: String {
        var text = credentials.redactedAccessKeyId
        if credentials.sessionToken != nil { text += " with session token" }
        text += " (\(source.phrase))"
        if let expiration { text += ", expires \(ISO8601DateFormatter().string(from: expiration))" }
        return text
    }
}

/// Where requests to one service go and the region they are signed for.
public struct ServiceEndpoint: Sendable, Equatable, CustomStringConvertible {
    public var service: AWSService
    /// `scheme://host[:port][/path]`, without a trailing slash.
    public var url: String
    public var signingRegion: String
    public var source: ConfigurationSource

    public init(service: AWSService, url: String, signingRegion: String, source: ConfigurationSource) {
        self.service = service
        self.url = url
        self.signingRegion = signingRegion
        self.source = source
    }

    /// True when something configured it (not AWS's public endpoint).
    public var isCustom: Bool { source != .builtInDefault }

    /// `http://127.0.0.1:5000 (from AWS_ENDPOINT_URL, signed for us-east-1)`.
    public var description: String { "\(url) (\(source.phrase), signed for \(signingRegion))" }
}
