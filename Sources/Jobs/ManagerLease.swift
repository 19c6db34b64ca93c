import AWS
import DevAMI
import Foundation

/// Who is running a job right now: `logs/ncaas-manager.json` ({"host", "pid", "heartbeat"}),
/// rewritten every `interval` seconds while a job manager runs it. A job whose certificate has no
/// STEP 4/4 and whose lease is older than a few intervals was left by a manager that died (kill -9,
/// a lost machine); `ncaas jobs serve` then terminates its instances and runs it again.
public final class ManagerLease: @unchecked Sendable {
    private let s3: S3Client
    private let bucket: String
    private let key: String
    private var timer: DispatchSourceTimer?

    public init(s3: S3Client, layout: JobLayout) {
        self.s3 = s3
        bucket = layout.bucket
        key = Self.key(layout)
    }

    public static func key(_ layout: JobLayout) -> String { layout.logsPrefix + "ncaas-manager.json" }

    /// Writes the lease now and then every `interval` seconds until `stop()`.
    public func start(every interval: Double) {
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

    /// Writes the lease once (a `test-job` claims its job before uploading the submission, so a
    /// server that sees the submission first leaves it alone).
    public func beat() {
        let body: [String: Any] = ["host": ProcessInfo.processInfo.hostName, "pid": Int(getpid()), "heartbeat": InstanceTags.format(Date())]
        guard let data = try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys]) else { return }
        _ = try? s3.putObject(bucket: bucket, key: key, data: data, contentType: "application/json")
    }

    /// The last heartbeat of the job's manager, if it ever wrote one.
    public static func lastHeartbeat(s3: S3Client, layout: JobLayout) -> Date? {
        guard let data = try? s3.getObject(bucket: layout.bucket, key: key(layout)),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let text = object["heartbeat"] as? String else { return nil }
        return InstanceTags.parse(text)
    }
}
