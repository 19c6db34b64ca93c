import AWS
import DevAMI
import Foundation

/// Who is running a job right now: `logs/ncaas-manager.json` ({"host", "pid", "heartbeat",
/// "interval"}), rewritten every `interval` seconds while a job manager runs it.
///
/// A manager takes a job with `claim`, atomically: it creates the lease only if there is none
/// (S3's `If-None-Match: *`), or replaces one gone stale only if it is still that stale one
/// (`If-Match`). So two managers that see the same submission at once (two servers, or S3
/// delivering its notification twice) never both run it. A lease is stale when its heartbeat is
/// older than three of its intervals: its manager died (kill -9, a lost machine), and the job's
/// instances are then terminated and the job run again.
public final class ManagerLease: @unchecked Sendable {
    private let s3: S3Client
    private let bucket: String
    private let key: String
    private var interval: Double = 10
    private var timer: DispatchSourceTimer?

    public init(s3: S3Client, layout: JobLayout) {
        self.s3 = s3
        bucket = layout.bucket
        key = Self.key(layout)
    }

    public static func key(_ layout: JobLayout) -> String { layout.logsPrefix + "ncaas-manager.json" }

    /// What a claim found.
    public enum Claim: Equatable, Sendable {
        /// The job is this manager's now.
        case claimed
        /// Another manager's lease is alive (its last heartbeat, when it has one).
        case held(heartbeat: Date?)
    }

    /// Takes the job for a manager that will beat every `interval` seconds, unless another
    /// manager's lease is alive.
    public func claim(interval: Double, now: Date = Date()) throws -> Claim {
        self.interval = interval
        if try s3.putObject(bucket: bucket, key: key, data: body(now), contentType: "application/json", if: .absent) != nil { return .claimed }
        guard let (data, etag) = try s3.objectWithETag(bucket: bucket, key: key) else {
            // Deleted between the two calls: try once more from the start.
            return try s3.putObject(bucket: bucket, key: key, data: body(now), contentType: "application/json", if: .absent) != nil
                ? .claimed : .held(heartbeat: nil)
        }
        let lease = Self.parse(data)
        if let heartbeat = lease.heartbeat, now.timeIntervalSince(heartbeat) <= Self.staleAfter(lease.interval) { return .held(heartbeat: heartbeat) }
        return try s3.putObject(bucket: bucket, key: key, data: body(now), contentType: "application/json", if: .unchanged(etag: etag)) != nil
            ? .claimed : .held(heartbeat: lease.heartbeat)
    }

    /// Seconds without a heartbeat after which a lease beating every `interval` seconds is stale.
    static func staleAfter(_ interval: Double?) -> Double { max(3, 3 * (interval ?? 10)) }

    /// Writes the lease now and then every `interval` seconds until `stop()`.
    public func start(every interval: Double) {
        self.interval = interval
        beat()
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global())
        timer.schedule(deadline: .now() + interval, repeating: interval)
        timer.setEventHandler { [weak self] in self?.beat() }
        self.timer = timer
        timer.resume()
    }

    public func stop() {
        timer?.cancel()
        timer = nil
    }

    /// Writes the lease once.
    public func beat() {
        _ = try? s3.putObject(bucket: bucket, key: key, data: body(Date()), contentType: "application/json")
    }

    private func body(_ now: Date) -> Data {
        let body: [String: Any] = ["host": ProcessInfo.processInfo.hostName, "pid": Int(getpid()), "heartbeat": InstanceTags.format(now), "interval": interval]
        return (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data()
    }

    private static func parse(_ data: Data) -> (heartbeat: Date?, interval: Double?) {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return (nil, nil) }
        return ((object["heartbeat"] as? String).flatMap(InstanceTags.parse), object["interval"] as? Double)
    }

    /// The last heartbeat of the job's manager, if it ever wrote one.
    public static func lastHeartbeat(s3: S3Client, layout: JobLayout) -> Date? {
        guard let data = try? s3.getObject(bucket: layout.bucket, key: key(layout)) else { return nil }
        return parse(data).heartbeat
    }
}
