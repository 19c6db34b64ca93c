import Foundation

/// SQS refuses to create a queue with the name of one deleted less than 60 seconds before
/// (`AWS.SimpleQueueService.QueueDeletedRecently`). A stack created right after a teardown, or
/// after `--replace` deleted a failed stack, fails on its job queues for that reason; ncaas
/// then deletes the failed stack, waits the minute out with progress, and creates it again.
enum QueueCooldown {
    /// How long SQS keeps a deleted queue's name.
    static let seconds: TimeInterval = 60
    /// How often progress is reported while waiting.
    static let step: TimeInterval = 15

    /// Whether a resource's failure reason is SQS's "deleted recently" refusal.
    static func isDeletedRecently(_ reason: String?) -> Bool {
        guard let reason else { return false }
        return reason.contains("QueueDeletedRecently") || reason.localizedCaseInsensitiveContains("wait 60 seconds after deleting a queue")
    }

    /// Sleeps the cooldown out in steps, saying how long is left before each.
    static func wait(queue: String, sleep: (TimeInterval) -> Void, progress: ((DeployProgress) -> Void)?) {
        var left = seconds
        while left > 0 {
            progress?(.step("waiting for SQS to free the name \(queue): \(Int(left)) s left (a queue's name stays taken 60 s after it is deleted)"))
            let nap = min(step, left)
            sleep(nap)
            left -= nap
        }
    }
}
