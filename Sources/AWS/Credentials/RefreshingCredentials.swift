import Foundation
import SigV4

/// Hands out credentials, fetching them again from their provider before temporary ones
/// expire, so a command that runs for days (`jobs serve`) survives every rotation.
///
/// The windows are botocore's: from 15 minutes before expiry a refresh is attempted and, if it
/// fails, the current credentials are kept while they have more than 10 minutes left; from
/// 10 minutes before expiry a refresh must succeed. Credentials without an expiration are
/// handed out as they are, forever. Thread-safe: one refresh at a time.
public final class RefreshingCredentials: @unchecked Sendable {
    /// Seconds before expiry from which a refresh is attempted.
    public static let advisoryWindow: TimeInterval = 15 * 60
    /// Seconds before expiry from which a refresh must succeed.
    public static let mandatoryWindow: TimeInterval = 10 * 60

    private let lock = NSLock()
    /// Nil until the first fetch of deferred credentials.
    private var current: ResolvedCredentials?
    private let fetch: @Sendable () throws -> ResolvedCredentials
    private let clock: @Sendable () -> Date
    private let advisoryWindow: TimeInterval
    private let mandatoryWindow: TimeInterval

    /// - Parameters:
    ///   - initial: the credentials fetched first.
    ///   - fetch: fetches new ones (the provider that gave `initial`).
    public init(initial: ResolvedCredentials, advisoryWindow: TimeInterval = RefreshingCredentials.advisoryWindow,
                mandatoryWindow: TimeInterval = RefreshingCredentials.mandatoryWindow,
                clock: @escaping @Sendable () -> Date = { Date() },
                fetch: @escaping @Sendable () throws -> ResolvedCredentials) {
        self.current = initial
        self.advisoryWindow = advisoryWindow
        self.mandatoryWindow = min(mandatoryWindow, advisoryWindow)
        self.clock = clock
        self.fetch = fetch
    }

    /// Credentials from `provider`, fetched once now.
    public convenience init(provider: any CredentialProvider, clock: @escaping @Sendable () -> Date = { Date() }) throws {
        self.init(initial: try provider.fetch(), clock: clock) { try provider.fetch() }
    }

    /// Credentials from `provider`, fetched when first asked for (a role's source credentials
    /// are only needed when the role is assumed).
    public init(deferred provider: any CredentialProvider, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.current = nil
        self.advisoryWindow = Self.advisoryWindow
        self.mandatoryWindow = Self.mandatoryWindow
        self.clock = clock
        self.fetch = { try provider.fetch() }
    }

    /// The credentials in use now, fetched first when there are none yet or they expire
    /// within the windows.
    public func resolved() throws -> ResolvedCredentials {
        try lock.withLock {
            guard let known = current else {
                let first = try fetch()
                current = first
                return first
            }
            guard let expiration = known.expiration else { return known }
            let left = expiration.timeIntervalSince(clock())
            guard left <= advisoryWindow else { return known }
            do {
                let renewed = try fetch()
                current = renewed
                return renewed
            } catch where left > mandatoryWindow {
                // Still valid for a while: the next call tries again.
                return known
            }
        }
    }

    /// The signing credentials in use now (for `AWSClient`'s credentials provider).
    public func credentials() throws -> SigningCredentials {
        try resolved().credentials
    }
}

extension AWSConfigurationResolver {
    /// Credentials for a client: `initial` until shortly before it expires, then fetched again
    /// from the same source (the provider the chain chose).
    public func refreshingCredentials(startingWith initial: ResolvedCredentials,
                                      clock: @escaping @Sendable () -> Date = { Date() }) -> RefreshingCredentials {
        let chosen = Result { try credentialProvider() }
        return RefreshingCredentials(initial: initial, clock: clock) { try chosen.get().fetch() }
    }
}
