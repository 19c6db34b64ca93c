import Foundation
import SSH
import Support

/// Samples COMMAND's CPU seconds and resident memory every `interval` seconds over its own SSH
/// session (a session serves one thread; the main one is busy streaming COMMAND's output) and
/// writes them, with the peak so far, into the dataset's status. The session is opened only once
/// COMMAND has run for one interval: a short COMMAND costs no second connection (its final CPU and
/// memory come from the wrapper's result file). Best effort: a failed sample is skipped.
final class UsageSampler: @unchecked Sendable {
    private let connect: () -> SSHSession?
    private let script: String
    private let publisher: StatusPublisher
    private let interval: Double
    private let lock = NSLock()
    private let stopSignal = StopSignal()
    private var peak = 0
    private let done = DispatchSemaphore(value: 0)

    init(connect: @escaping () -> SSHSession?, folder: RemoteJobFolder, publisher: StatusPublisher, interval: Double) {
        self.connect = connect
        script = folder.sampleScript
        self.publisher = publisher
        self.interval = interval
    }

    func start() {
        let thread = Thread { [self] in
            defer { done.signal() }
            var session: SSHSession?
            defer { session = nil }
            while stopSignal.wait(seconds: interval) {
                InterruptCleanup.shared.parkIfInterrupted()
                if session == nil { session = connect() }
                guard let session else { continue }
                if let result = try? session.exec(script, timeout: .seconds(10)), let sample = RemoteSample.parse(result.stdoutText), !stopSignal.isStopped {
                    lock.lock(); peak = max(peak, sample.residentBytes); let highest = peak; lock.unlock()
                    publisher.update {
                        $0.cpuUsage = UsageText.cpu(sample.cpuSeconds)
                        $0.memoryUsage = UsageText.memory(highest)
                    }
                }
            }
        }
        thread.start()
    }

    /// Stops sampling and returns the highest resident memory seen, in bytes (0 when none).
    func stop() -> Int {
        stopSignal.stop()
        _ = done.wait(timeout: .now() + 15)
        lock.lock(); defer { lock.unlock() }
        return peak
    }
}

/// How the status file writes usage: `0.42 s`, `12.3 MB`.
enum UsageText {
    static func cpu(_ seconds: Double) -> String { String(format: "%.2f s", seconds) }
    static func memory(_ bytes: Int) -> String { String(format: "%.1f MB", Double(bytes) / 1_000_000) }
}
