import Foundation
import SigV4

/// Hands out credentials, resolving them again shortly before temporary ones expire (instance
/// metadata credentials last a few hours; a long-running command outlives them).
/// Credentials without an expiration are handed out as they are, forever.
public final class RefreshingCredentials: @unchecked Sendable {
    private let lock = NSLock()
    private var current: ResolvedCredentials
    private let resolve: @Sendable () throws -> ResolvedCredentials
    private let clock: @Sendable () -> Date
    /// How long before expiry new credentials are fetched.
    public let refreshMargin: TimeInterval

    public init(initial: ResolvedCredentials, refreshMargin: TimeInterval = 300,
                clock: @escaping @Sendable () -> Date = { Date() },
                resolve: @escaping @Sendable () throws -> ResolvedCredentials) {
        self.current = initial
        self.refreshMargin = refreshMargin
        self.clock = clock
        self.resolve = resolve
    }

    /// The credentials in use now, refreshed first when they expire within `refreshMargin`.
    public func resolved() throws -> ResolvedCredentials {
        try lock.withLock {
            if let expiration = current.expiration, expiration.timeIntervalSince(clock()) <= refreshMargin {
                current = try resolve()
            }
            return current
        }
    }

    /// The signing credentials in use now (for `AWSClient`'s credentials provider).
    public func credentials() throws -> SigningCredentials {
        try resolved().credentials
    }
}

extension AWSConfigurationResolver {
    /// Credentials for a client: `initial` until shortly before it expires, then resolved
    /// again through the same chain.
    public func refreshingCredentials(startingWith initial: ResolvedCredentials,
                                      clock: @escaping @Sendable () -> Date = { Date() }) -> RefreshingCredentials {
        RefreshingCredentials(initial: initial, clock: clock) { [self] in try credentials() }
    }
}
