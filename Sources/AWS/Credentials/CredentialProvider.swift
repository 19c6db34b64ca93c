import Foundation

/// One source of AWS credentials (a link of the AWS CLI's chain), chosen by
/// `AWSConfigurationResolver.credentialProvider()`.
///
/// Fetching may call a service (STS, the SSO portal, a metadata endpoint) or run a program;
/// temporary credentials carry their expiration, and fetching again renews them
/// (`RefreshingCredentials` does that before they expire).
public protocol CredentialProvider: Sendable {
    /// Where the credentials come from, known before any fetch (for messages).
    var source: ConfigurationSource { get }

    /// Fresh credentials from the source.
    /// - Throws: `AWSConfigurationError` with one sentence saying what failed and what to do.
    func fetch() throws -> ResolvedCredentials
}

/// Credentials that are already known (flags, environment, a profile's keys): fetching
/// hands them out as they are.
public struct StaticCredentialProvider: CredentialProvider {
    public let credentials: ResolvedCredentials

    public init(_ credentials: ResolvedCredentials) {
        self.credentials = credentials
    }

    public var source: ConfigurationSource { credentials.source }

    public func fetch() throws -> ResolvedCredentials { credentials }
}
