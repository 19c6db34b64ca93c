import AWS
import DevAMI
import Foundation
import SSH
import Support

/// Watches one spot instance for EC2's interruption notice while its dataset's attempt runs: every
/// `interval` seconds (AWS suggests five) it asks the instance's metadata over its own SSH session
/// (a session serves one thread), from before staging until the attempt ends. At a notice during
/// staging or COMMAND it ends the instance at once (`endInstance`): COMMAND cannot finish in EC2's two
/// minutes in general, and the dataset's next attempt should not wait for them. At a notice while the
/// results are copied it lets the copy race EC2's two minutes. It then says, as one sentence, whether
/// and how the attempt was interrupted (`sentence`), from the notice or from EC2's state reason.
final class SpotWatch: @unchecked Sendable {
    static let collecting = "collecting the results"
    static let staging = "staging the dataset and config"

    let instanceId: String
    private let cloud: DevCloud
    private let connect: () -> SSHSession?
    private let interval: Double
    private let endInstance: () -> Void
    private let lock = NSLock()
    private let stopSignal = StopSignal()
    private var step = SpotWatch.staging
    private var notice: (notice: SpotNotice, step: String)?
    private let done = DispatchSemaphore(value: 0)
    private var started = false

    init(instanceId: String, cloud: DevCloud, interval: Double, connect: @escaping () -> SSHSession?, endInstance: @escaping () -> Void) {
        self.instanceId = instanceId
        self.cloud = cloud
        self.interval = interval
        self.connect = connect
        self.endInstance = endInstance
    }

    /// Asks once on `session` (the attempt's own, before it starts); true when a notice is posted.
    func checkNow(on session: SSHSession) -> Bool {
        guard let result = try? session.exec(SpotNotice.script, timeout: .seconds(10)), let notice = SpotNotice.parse(result.stdoutText) else { return false }
        record(notice)
        return true
    }

    /// Starts polling on a thread of its own.
    func start() {
        lock.lock(); started = true; lock.unlock()
        let thread = Thread { [self] in
            defer { done.signal() }
            var session: SSHSession?
            defer { session = nil }
            while stopSignal.wait(seconds: interval) {
                InterruptCleanup.shared.parkIfInterrupted()
                if session == nil { session = connect() }
                guard let session else { continue }
                if let result = try? session.exec(SpotNotice.script, timeout: .seconds(10)), let notice = SpotNotice.parse(result.stdoutText) {
                    record(notice)
                    return
                }
            }
        }
        thread.start()
    }

    /// The attempt moved on to `step` (staging, running COMMAND, collecting the results).
    func enter(_ step: String) {
        lock.lock(); self.step = step; lock.unlock()
    }

    /// Stops polling (waiting a moment for a poll under way).
    func stop() {
        stopSignal.stop(); lock.lock(); let wait = started; lock.unlock()
        if wait { _ = done.wait(timeout: .now() + 15) }
    }

    private func record(_ notice: SpotNotice) {
        lock.lock()
        guard self.notice == nil else { lock.unlock(); return }
        self.notice = (notice, step)
        let end = step != Self.collecting
        lock.unlock()
        if end { endInstance() }
    }

    /// Whether a notice came while the results were being copied (they may still all be copied).
    var noticeWhileCollecting: Bool {
        lock.lock(); defer { lock.unlock() }
        return notice?.step == Self.collecting
    }

    /// One sentence when the attempt was interrupted while `step` ran, nil when it was not: a notice
    /// before the results were copied (ncaas ended the instance), or the instance reclaimed by EC2
    /// (its state reason). `lostConnection`: the attempt failed reaching the instance (a dead SSH
    /// connection), not by COMMAND's own exit, so EC2 is asked why the instance went (waiting for
    /// its state to change).
    func sentence(step: String, lostConnection: Bool) -> String? {
        lock.lock(); let seen = notice; lock.unlock()
        if let seen, seen.step != Self.collecting {
            return "The spot instance \(instanceId) was interrupted while \(seen.step): EC2 posted its interruption notice (\(seen.notice.action) at \(seen.notice.time)) and ncaas ended the instance at once."
        }
        guard lostConnection else { return nil }
        if seen != nil {
            return "The spot instance \(instanceId) was interrupted while \(step): EC2 posted its interruption notice and reclaimed the instance before every result was copied."
        }
        guard let reason = SpotNotice.reclaimReason(instanceId: instanceId, cloud: cloud, wait: 20) else { return nil }
        return "The spot instance \(instanceId) was interrupted while \(step): EC2 reclaimed it (\(reason))."
    }
}
