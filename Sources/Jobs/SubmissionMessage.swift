import AWS
import Foundation

/// The job-queue message a submission's upload caused (the bucket notifies the queue of every
/// `<group>/submissions/*submit.json`). `ncaas test-job` runs the job itself, so it deletes that
/// message once the job is recorded: a `jobs serve` started later finds nothing of it to handle.
public enum SubmissionMessage {
    /// Receives from `queueURL` until the message about `key` in `bucket` (with `eTag`, the upload's,
    /// when both say one) turns up, or `wait` seconds pass (S3 may deliver a moment later), deletes
    /// it, and hands every other message straight back (visibility 0). True when it was found and
    /// deleted; errors are swallowed (a message left is one `jobs serve` finds finished).
    @discardableResult
    public static func consume(bucket: String, key: String, eTag: String?, queueURL: String, sqs: SQSClient, wait: TimeInterval = 5) -> Bool {
        let eTag = eTag?.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        let deadline = Date().addingTimeInterval(wait)
        repeat {
            guard let messages = try? sqs.receiveMessages(queueURL: queueURL, maxMessages: 10, waitTimeSeconds: 1, visibilityTimeout: 30) else { return false }
            var found = false
            for message in messages {
                let objects = S3EventNotification.createdObjects(in: message.body)
                if !objects.isEmpty, objects.allSatisfy({ $0.bucket == bucket && $0.key == key && (eTag == nil || $0.eTag == nil || $0.eTag == eTag) }) {
                    found = (try? sqs.deleteMessage(queueURL: queueURL, receiptHandle: message.receiptHandle)) != nil || found
                } else {
                    _ = try? sqs.changeMessageVisibility(queueURL: queueURL, receiptHandle: message.receiptHandle, visibilityTimeout: 0)
                }
            }
            if found { return true }
        } while Date() < deadline
        return false
    }
}
