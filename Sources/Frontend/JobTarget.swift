import AWS
import Blueprint
import DevAMI
import Foundation
import Support
import Jobs

/// What the job and data commands start from: the analysis's blueprint and cloud (as for `ncaas
/// dev`), its deployed bucket (`ncaas.bucket`, else the PipelineName), and the group the command acts for.
public struct JobTarget {
    public var context: DevContext
    public var group: String
    public var bucket: String { context.blueprint.bucketName ?? context.analysis }
    public var s3: S3Client { context.cloud.ec2.client.s3 }

    /// Loads `target`, picks the group (`group`, else the blueprint's only affiliate, else
    /// `keysGroup`, the group a submit file's keys all share, when it is an affiliate) and checks
    /// that the analysis is deployed (its bucket exists). Nothing is changed.
    public static func make(_ target: String, group: String?, keysGroup: String? = nil, overrides: ConfigurationOverrides) throws -> JobTarget {
        let context = try DevContext.make(target, overrides: overrides)
        let affiliates = context.blueprint.affiliates.map(\.name)
        let chosen: String
        if let group {
            guard affiliates.contains(group) else {
                throw JobError(.notFound, "The group '\(group)' is not an affiliate of \(context.analysis) (its affiliates: \(affiliates.isEmpty ? "none" : affiliates.joined(separator: ", "))).")
            }
            chosen = group
        } else if affiliates.count == 1 {
            chosen = affiliates[0]
        } else if let keysGroup, affiliates.contains(keysGroup) {
            chosen = keysGroup
        } else {
            throw JobError(.badInput, "\(context.analysis) has \(affiliates.count) affiliates; say which group with --group (one of \(affiliates.joined(separator: ", "))).")
        }
        let target = JobTarget(context: context, group: chosen)
        guard try target.s3.bucketExists(target.bucket) else {
            throw JobError(.notFound, "\(context.analysis) is not deployed (there is no bucket \(target.bucket)); run `ncaas deploy \(AnalysisHint.name(context.analysis))` first.")
        }
        return target
    }
}
