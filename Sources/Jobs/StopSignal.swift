import Foundation

/// The stop a background loop waits on between rounds: `wait(seconds:)` returns as soon as
/// `stop()` is called, or when the time has passed, whichever comes first (no polling).
final class StopSignal: @unchecked Sendable {
    private let condition = NSCondition()
    private var stopped = false

    func stop() {
        condition.lock(); stopped = true; condition.broadcast(); condition.unlock()
    }

    var isStopped: Bool { condition.lock(); defer { condition.unlock() }; return stopped }

    /// Waits `seconds` unless stopped first; true when the time passed without a stop.
    func wait(seconds: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        condition.lock(); defer { condition.unlock() }
        while !stopped {
            if !condition.wait(until: deadline) { return !stopped }
        }
        return false
    }
}
