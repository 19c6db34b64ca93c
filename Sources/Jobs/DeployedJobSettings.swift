import AWS
import Blueprint
import Deploy
import Foundation
import Support
import LosslessJSON

/// The job settings of what is deployed, not of a working copy: `ncaas deploy` puts the
/// blueprint's LambdaConfig (NeuroCAAS's defaults filled in) into the SSM parameter
/// `/ncaas/<analysis>/lambda-config`, and the job manager runs by that. ncaas's own job settings
/// (`ncaas.jobs`: staging, market, local hooks) come from the blueprint on this machine.
public struct DeployedJobSettings: Sendable {
    public var settings: JobSettings
    /// The LambdaConfig fields whose working-copy value differs from the deployed one (empty when in step).
    public var undeployedChanges: [String]

    /// Reads the deployed configuration of `blueprint`'s analysis; throws one sentence when there is
    /// none (not deployed) or it is not a LambdaConfig.
    public static func load(_ blueprint: Blueprint, ssm: SSMClient) throws -> DeployedJobSettings {
        guard let analysis = blueprint.pipelineName else { throw JobError(.badInput, "The blueprint has no PipelineName.") }
        let name = StackNaming(analysis: analysis).configParameterName
        guard let parameter = try ssm.parameter(named: name) else {
            throw JobError(.notFound, "\(analysis) has no deployed configuration (there is no SSM parameter \(name)); run `ncaas deploy \(AnalysisHint.name(analysis))` first.")
        }
        guard let config = try? JSONDocument(bytes: Array(parameter.value.utf8)), case .object(let deployed)? = config.value(at: []) else {
            throw JobError(.badInput, "The deployed configuration of \(analysis) (SSM parameter \(name)) is not a JSON object; run `ncaas deploy \(AnalysisHint.name(analysis))` again.")
        }
        var members: [(key: String, value: JSONValue)] = [
            ("PipelineName", .string(analysis)),
            ("Lambda", .object([("LambdaConfig", .object(deployed))])),
        ]
        if let own = blueprint.document.value(at: [.key(Blueprint.ncaasKey)]) { members.append((Blueprint.ncaasKey, own)) }
        let text = JSONWriter.compact.render(.object(members), baseIndent: "")
        let settings = try JobSettings.from(Blueprint(document: try JSONDocument(bytes: Array(text.utf8))))
        var working: [String] = []
        if case .object(let own)? = blueprint.document.value(at: Blueprint.lambdaConfigPath) { working = own.map(\.key) }
        let changed = Set(deployed.map(\.key)).union(working).sorted().filter { key in
            let working = blueprint.lambdaConfig(key).map { JSONWriter.compact.render($0, baseIndent: "") }
            let live = deployed.first { $0.key == key }.map { JSONWriter.compact.render($0.value, baseIndent: "") }
            return working != live
        }
        return DeployedJobSettings(settings: settings, undeployedChanges: changed)
    }

    /// One sentence about the fields the working copy changed since the deploy (nil when none), for
    /// a runner of the working copy (`test-job`) or of what is deployed (`jobs serve`).
    public static func noteSentence(_ deployed: DeployedJobSettings, analysis: String, runsWorkingCopy: Bool) -> String? {
        guard !deployed.undeployedChanges.isEmpty else { return nil }
        let fields = deployed.undeployedChanges.map { "Lambda.LambdaConfig.\($0)" }.joined(separator: ", ")
        let runs = runsWorkingCopy ? "this job runs the blueprint here, but `ncaas jobs serve` runs what is deployed"
            : "the jobs run what is deployed"
        return "the blueprint here changes \(fields) since \(analysis) was deployed; \(runs) (run `ncaas deploy \(AnalysisHint.name(analysis))` to deploy the changes)."
    }
}
