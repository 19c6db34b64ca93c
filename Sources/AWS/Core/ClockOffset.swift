import Foundation

/// How far the server's clock is from this machine's, learnt from a reply's `Date` header when a
/// request was refused as skewed; every later request is signed with the corrected time. Shared by
/// the copies of one client (a class), safe across threads.
public final class ClockOffset: @unchecked Sendable {
    private let lock = NSLock()
    private var seconds: TimeInterval = 0

    public init() {}

    /// Seconds to add to this machine's clock to get the server's.
    public var value: TimeInterval {
        lock.lock(); defer { lock.unlock() }
        return seconds
    }

    func set(_ value: TimeInterval) {
        lock.lock(); seconds = value; lock.unlock()
    }

    /// The server's time from an HTTP `Date` header (RFC 7231's IMF-fixdate).
    static func serverDate(_ header: String?) -> Date? {
        guard let header else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: header.trimmingCharacters(in: .whitespaces))
    }

    /// Whether `error` says the request's time was refused: S3's RequestTimeTooSkewed, EC2's
    /// RequestExpired, or a signature refused as expired or not yet current.
    static func isSkewRefusal(_ error: AWSError) -> Bool {
        if ["RequestTimeTooSkewed", "RequestExpired", "RequestInTheFuture"].contains(error.code) { return true }
        let message = error.message.lowercased()
        return ["SignatureDoesNotMatch", "InvalidSignatureException", "AuthFailure"].contains(error.code)
            && (message.contains("expired") || message.contains("not yet current") || message.contains("skew"))
    }
}
