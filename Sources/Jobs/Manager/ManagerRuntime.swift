import AWS
import Deploy
import DevAMI
import Foundation
import Support

/// The in-stack job manager's side of `jobs serve --in-stack`: a heartbeat every `interval` seconds
/// (`ManagerHeartbeat`, with the jobs it ran lately), the tail of its log shipped beside it, and a
/// restart asked for when the deployed build is no longer the one it runs (a redeploy with a new
/// ncaas) or `ncaas manager restart` wrote its request. The server drains (running jobs finish) and
/// exits 75; the supervisor on the instance fetches the build and starts it again.
public final class ManagerRuntime: @unchecked Sendable {
    public let s3: S3Client
    public let layout: ManagerLayout
    public let instanceId: String
    public let build: String
    public let version: String
    public let logFile: String?
    public let interval: TimeInterval
    let startedAt: Date
    private let state = LockedValue<(running: Int, recent: [ManagerHeartbeat.RecentJob], restart: String?)>((0, [], nil))
    private var timer: DispatchSourceTimer?

    public init(s3: S3Client, layout: ManagerLayout, instanceId: String, build: String, version: String, logFile: String?,
                interval: TimeInterval = 5, now: Date = Date()) {
        self.s3 = s3
        self.layout = layout
        self.instanceId = instanceId
        self.build = build.trimmingCharacters(in: .whitespacesAndNewlines)
        self.version = version
        self.logFile = logFile
        self.interval = interval
        self.startedAt = now
    }

    /// Why a restart was asked for, once it has been.
    public var restartReason: String? { state.value.restart }

    public func jobStarted() { state.withLock { $0.running += 1 } }

    public func jobEnded(_ job: String, outcome: String) {
        state.withLock {
            $0.running -= 1
            $0.recent = Array(([ManagerHeartbeat.RecentJob(job: job, outcome: outcome, at: InstanceTags.format(Date()))] + $0.recent).prefix(10))
        }
        beat()
    }

    /// Beats now, then every `interval` seconds until `stop()`.
    public func start() {
        beat()
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global())
        timer.schedule(deadline: .now() + interval, repeating: interval)
        timer.setEventHandler { [weak self] in self?.beat() }
        timer.resume()
        self.timer = timer
    }

    public func stop() {
        timer?.cancel()
        timer = nil
        beat()
    }

    /// One heartbeat, the log's tail, and the checks for a restart. Failures are left for the next turn.
    func beat() {
        let current = state.value
        let heartbeat = ManagerHeartbeat(instanceId: instanceId, build: build, version: version, startedAt: InstanceTags.format(startedAt),
                                         at: InstanceTags.format(Date()), runningJobs: current.running, recentJobs: current.recent)
        _ = try? s3.putObject(bucket: layout.bucket, key: ManagerLayout.heartbeatKey, data: heartbeat.json, contentType: "application/json")
        if let logFile, let tail = Self.tail(of: logFile, bytes: 65_536) {
            _ = try? s3.putObject(bucket: layout.bucket, key: ManagerLayout.logKey, data: tail, contentType: "text/plain")
        }
        guard current.restart == nil else { return }
        if !build.isEmpty, let deployed = try? s3.objectInfo(bucket: layout.bucket, key: ManagerLayout.binaryKey),
           let etag = deployed.eTag?.trimmingCharacters(in: .whitespaces), etag != build {
            state.withLock { $0.restart = "a new ncaas build was deployed (\(etag))" }
        } else if let request = try? s3.objectInfo(bucket: layout.bucket, key: ManagerLayout.restartKey),
                  let written = request.lastModifiedDate, written > startedAt {
            state.withLock { $0.restart = "ncaas manager restart asked for it" }
        }
    }

    static func tail(of path: String, bytes: Int) -> Data? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        try? handle.seek(toOffset: size > UInt64(bytes) ? size - UInt64(bytes) : 0)
        return try? handle.readToEnd()
    }
}
