import AWS
import Foundation
import Support

/// Why a render, deploy or teardown did not happen or did not finish, as one sentence.
public enum DeployError: UserFacingError, Equatable {
    /// The blueprint validator's error findings.
    case invalidBlueprint([String])
    /// Affiliate users named in the blueprint that do not exist (every affiliate's, at once).
    case missingUsers(analysis: String, [AffiliateUsers.Missing])
    /// The bucket name belongs to someone else (or another stack).
    case bucketTaken(String)
    /// HeadBucket answered 403: another account's bucket, or no permission to use it.
    case bucketForbidden(String)
    /// HeadBucket answered 301: the bucket exists in another region (bucket names are global).
    case bucketInAnotherRegion(bucket: String, region: String?)
    /// SQS kept refusing the job queue's name because a queue of that name was deleted less
    /// than 60 seconds before (`AWS.SimpleQueueService.QueueDeletedRecently`).
    case queueDeletedRecently(stack: String, queue: String)
    /// The stack failed; the first failing resource and its reason.
    case stackFailed(stack: String, status: String, resource: String?, reason: String?)
    /// The stack is in ROLLBACK_COMPLETE (a create that failed): it must be deleted first.
    case rollbackComplete(String)
    /// `--replace` of a stack in ROLLBACK_COMPLETE whose kept bucket holds data: a new stack
    /// cannot take over an existing bucket, and ncaas never deletes data to make room.
    case failedStackBucketHoldsData(stack: String, bucket: String)
    /// The stack is still changing.
    case busy(stack: String, status: String)
    /// The stack does not exist.
    case noStack(String)
    /// A destructive step needs confirmation that was not given.
    case needsConfirmation(String)
    /// The change set could not be made.
    case changeSetFailed(stack: String, reason: String)
    /// CloudFormation refused the template (ValidateTemplate in a dry run, CreateChangeSet in a
    /// deploy: the same sentence either way).
    case templateRejected(stack: String, reason: String)

    /// `error` as the template's rejection when it is one (a ValidationError about the template),
    /// else `error` itself.
    public static func rejection(of error: AWSError, stack: String) -> Error {
        guard error.code == "ValidationError", error.message.lowercased().contains("template") else { return error }
        return DeployError.templateRejected(stack: stack, reason: error.message)
    }

    public var description: String {
        // A taken bucket is named after the analysis unless ncaas.bucket names another.
        let hint: (String) -> String = { bucket in AnalysisHint.isRecorded(bucket) ? AnalysisHint.name(bucket) : "<analysis>" }
        switch self {
        case .invalidBlueprint(let findings):
            let first = findings.first ?? "it has errors"
            let more = findings.count > 1 ? " (and \(findings.count - 1) more: run `ncaas blueprint validate`)" : ""
            return "The blueprint is invalid, nothing was deployed: \(first)\(more)."
        case let .missingUsers(analysis, missing):
            let count = missing.reduce(0) { $0 + $1.users.count }
            let list = missing.map { "\($0.affiliate): \($0.users.map { "'\($0)'" }.joined(separator: ", "))" }.joined(separator: "; ")
            let commands = missing.map { "`ncaas affiliates add \(AnalysisHint.name(analysis)) \($0.affiliate) \($0.users.map(ShellQuoting.quoteIfNeeded).joined(separator: " "))`" }
                .joined(separator: " and ")
            return "UXData.Affiliates names \(count == 1 ? "an IAM user that does" : "\(count) IAM users that do") not exist (\(list)): create \(count == 1 ? "it" : "them") with \(commands), "
                + "or remove \(count == 1 ? "it" : "them") from UXData.Affiliates; nothing was deployed."
        case .bucketTaken(let bucket):
            return "The bucket '\(bucket)' already exists and is not this stack's (a teardown keeps it: `ncaas teardown <analysis> --delete-data` deletes it), or it belongs to someone else: "
                + "name a bucket of your own in the blueprint (`ncaas blueprint set \(hint(bucket)) ncaas.bucket '\"\(bucket)-data\"'`) or choose another PipelineName; nothing was deployed."
        case .bucketForbidden(let bucket):
            return "The bucket name '\(bucket)' is taken by another AWS account, or these credentials lack s3:ListBucket on it (S3 answered HeadBucket with 403 Forbidden): "
                + "bucket names are global, so name a bucket of your own in the blueprint (`ncaas blueprint set \(hint(bucket)) ncaas.bucket '\"\(bucket)-data\"'`); nothing was deployed."
        case let .bucketInAnotherRegion(bucket, region):
            return "The bucket name '\(bucket)' is taken in \(region ?? "another region") (S3 answered HeadBucket with 301): bucket names are global, "
                + "so name a bucket of your own in the blueprint (`ncaas blueprint set \(hint(bucket)) ncaas.bucket '\"\(bucket)-data\"'`)"
                + "\(region.map { " or deploy in \($0)" } ?? ""); nothing was deployed."
        case let .queueDeletedRecently(stack, queue):
            return "SQS still refuses to create the queue \(queue) of stack \(stack) because a queue of that name was deleted less than 60 seconds ago, even after ncaas waited a minute: "
                + "wait a minute more and run `ncaas deploy \(AnalysisHint.name(stack)) --replace`."
        case let .stackFailed(stack, status, resource, reason):
            let cause = resource.map { " at \($0)\(reason.map { ": \($0)" } ?? "")" } ?? reason.map { ": \($0)" } ?? ""
            let recovery = status == "ROLLBACK_COMPLETE"
                ? " Run `ncaas deploy \(AnalysisHint.name(stack)) --replace` to delete it and create it again (a bucket holding data is never deleted)."
                : " Fix the cause and run `ncaas deploy \(AnalysisHint.name(stack))` again."
            return "Stack \(stack) ended in \(status)\(cause).\(recovery)"
        case .rollbackComplete(let stack):
            return "Stack \(stack) is in ROLLBACK_COMPLETE (its creation failed) and cannot be updated: run `ncaas deploy \(AnalysisHint.name(stack)) --replace` to delete it and create it again (a bucket holding data is never deleted)."
        case let .failedStackBucketHoldsData(stack, bucket):
            return "Stack \(stack) is in ROLLBACK_COMPLETE and its bucket \(bucket) was kept with data in it, which a new stack cannot take over: nothing was changed; copy the data elsewhere and empty the bucket, then run `ncaas deploy \(AnalysisHint.name(stack)) --replace` again."
        case let .busy(stack, status):
            return "Stack \(stack) is busy (\(status)): wait for it to finish and try again."
        case .noStack(let stack):
            return "There is no stack named \(stack) on this endpoint: nothing to tear down."
        case .needsConfirmation(let what):
            return what
        case let .changeSetFailed(stack, reason):
            return "CloudFormation could not prepare the changes to stack \(stack): \(reason)."
        case let .templateRejected(stack, reason):
            let trimmed = reason.trimmingCharacters(in: CharacterSet(charactersIn: ". \n"))
            return "CloudFormation rejected the template of stack \(stack): \(trimmed). Nothing was deployed; run `ncaas render \(AnalysisHint.name(stack))` and look at stacks/\(stack).json, or `ncaas blueprint validate \(AnalysisHint.name(stack))`."
        }
    }

    public var exitCode: Int32 {
        switch self {
        case .invalidBlueprint: return ExitCodes.failure
        case .missingUsers, .bucketTaken, .bucketInAnotherRegion, .templateRejected: return ExitCodes.dataError
        case .stackFailed, .changeSetFailed, .busy, .queueDeletedRecently: return ExitCodes.unavailable
        case .bucketForbidden: return ExitCodes.permission
        case .rollbackComplete, .needsConfirmation, .failedStackBucketHoldsData: return ExitCodes.refused
        case .noStack: return ExitCodes.noInput
        }
    }
}
