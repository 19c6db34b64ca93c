import AWS
import Foundation

/// Keeps one dataset's status and writes it to its status file: at once when the state changes,
/// and every `interval` seconds while output arrives, so a reader of S3 sees the stdout and stderr
/// tails grow. Thread-safe: output is appended from the SSH reader, the timer writes.
public final class StatusPublisher: @unchecked Sendable {
    private let lock = NSLock()
    /// Held while a snapshot is taken and written, so writes land in the order of their snapshots.
    private let writeLock = NSLock()
    private var status: DatasetStatus
    private var stdoutTail = StreamTail()
    private var stderrTail = StreamTail()
    private var dirty = false
    private var timer: DispatchSourceTimer?
    private let s3: S3Client
    private let bucket: String
    public let key: String
    private let onChange: (DatasetStatus) -> Void

    public init(status: DatasetStatus, s3: S3Client, bucket: String, key: String, onChange: @escaping (DatasetStatus) -> Void) {
        self.status = status
        self.s3 = s3
        self.bucket = bucket
        self.key = key
        self.onChange = onChange
    }

    /// The status as it is now.
    public var current: DatasetStatus {
        lock.lock(); defer { lock.unlock() }
        return snapshotLocked()
    }

    private func snapshotLocked() -> DatasetStatus {
        var copy = status
        copy.stdout = stdoutTail.text
        copy.stderr = stderrTail.text
        return copy
    }

    /// Changes the status and writes it now (a failed write is retried by the next one). A final
    /// status (SUCCESS, FAILED) is kept: what comes after it (an interrupted dataset's lost
    /// connection) does not overwrite the reason that ended it.
    public func update(_ change: (inout DatasetStatus) -> Void) {
        lock.lock()
        let before = status.status
        guard !before.isFinal else { lock.unlock(); return }
        change(&status)
        lock.unlock()
        let snapshot = writeSnapshot()
        if snapshot.status != before || snapshot.status.isFinal { onChange(snapshot) }
    }

    /// Starts the dataset's next attempt after its instance was interrupted: the attempt that ended
    /// INTERRUPTED moves into `attempts` (so the file keeps it), and the status starts again
    /// (INITIALIZING, no instance, empty tails) with `change` applied. Does nothing otherwise.
    public func startAttempt(_ change: (inout DatasetStatus) -> Void) {
        lock.lock()
        guard status.status == .interrupted else { lock.unlock(); return }
        var next = DatasetStatus(status: .initializing, input: status.input, instanceType: status.instanceType)
        next.attempts = (status.attempts ?? []) + [DatasetAttempt(snapshotLocked())]
        status = next
        stdoutTail = StreamTail()
        stderrTail = StreamTail()
        change(&status)
        lock.unlock()
        onChange(writeSnapshot())
    }

    public func appendStdout(_ chunk: Data) { lock.lock(); stdoutTail.append(chunk); dirty = true; lock.unlock() }
    public func appendStderr(_ chunk: Data) { lock.lock(); stderrTail.append(chunk); dirty = true; lock.unlock() }

    /// Starts writing the tails every `interval` seconds while they change.
    public func startStreaming(every interval: Double) {
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global())
        timer.schedule(deadline: .now() + interval, repeating: interval)
        timer.setEventHandler { [weak self] in self?.flush() }
        lock.lock(); self.timer = timer; lock.unlock()
        timer.resume()
    }

    /// Stops the timer (the final `update` writes the last tails).
    public func stopStreaming() {
        lock.lock(); let timer = self.timer; self.timer = nil; lock.unlock()
        timer?.cancel()
    }

    private func flush() {
        lock.lock()
        let due = dirty
        lock.unlock()
        if due { writeSnapshot() }
    }

    @discardableResult
    private func writeSnapshot() -> DatasetStatus {
        writeLock.lock(); defer { writeLock.unlock() }
        lock.lock()
        dirty = false
        let snapshot = snapshotLocked()
        lock.unlock()
        _ = try? s3.putObject(bucket: bucket, key: key, data: snapshot.json, contentType: "application/json")
        return snapshot
    }
}
