import AWS
import Blueprint
import Deploy
import DevAMI
import Foundation
import LosslessJSON
import Support

/// `ncaas deploy`: render, change set (which validates the template; a dry run also calls
/// ValidateTemplate), execute with live events, converge what the endpoint skipped, folder markers.
public struct DeployAnalysis {
    private let overrides: ConfigurationOverrides
    private let transport: any HTTPTransport

    public init(overrides: ConfigurationOverrides, transport: any HTTPTransport = CurlTransport()) {
        self.overrides = overrides
        self.transport = transport
    }

    /// A client for the blueprint's analysis: the blueprint's REGION is the last resort.
    static func client(overrides: ConfigurationOverrides, transport: any HTTPTransport, blueprint: Blueprint) throws -> AWSClient {
        let resolver = try AWSConfigurationResolver.forProcess(overrides: overrides)
        let configuration = try resolver.resolve(fallbackRegion: blueprint.region.map { Sourced($0, source: .fallback("blueprint REGION")) })
        return AWSClient(configuration: configuration, transport: transport)
    }

    /// Deploys the blueprint named or found at `target`. An invalid blueprint is refused before
    /// any call is made.
    public func run(_ target: String, options: StackDeployer.Options, progress: ((DeployProgress) -> Void)?) throws -> StackDeployer.Result {
        let loaded = try RenderAnalysis.load(target)
        let client = try Self.client(overrides: overrides, transport: transport, blueprint: loaded.template.blueprint)
        var options = options
        options.tags = [
            Tag(key: StackNaming.analysisTag, value: loaded.template.naming.analysis),
            Tag(key: StackNaming.commitTag, value: DeployBlueprintCommit.describe(blueprintPath: loaded.blueprintPath)),
        ] + options.tags
        // The image jobs need is checked now (DescribeImages), not when the first job fails: a note.
        let imageProblem = loaded.template.blueprint.ami.flatMap { ImageCheck.problem($0, analysis: loaded.template.naming.analysis, ec2: client.ec2) }
        var result = try StackDeployer(client: client, template: loaded.template, progress: progress).deploy(options)
        if let imageProblem { result.notes.append("jobs cannot start yet: Lambda.LambdaConfig.AMI " + imageProblem.trimmingCharacters(in: CharacterSet(charactersIn: "."))) }
        return result
    }

    /// The change summary, what was set through APIs, and the outputs, for people.
    public static func text(_ result: StackDeployer.Result) -> String {
        var lines: [String] = []
        switch result.action {
        case .previewed:
            lines.append(result.changes.isEmpty ? "Stack \(result.stackName): no changes (dry run)." :
                "Stack \(result.stackName) would be \(result.changeSetType == .create ? "created" : "updated") (dry run, nothing executed): \(result.changes.counts).")
        case .unchanged: lines.append("Stack \(result.stackName): no changes.")
        case .created, .updated:
            lines.append("Stack \(result.stackName) \(result.action.rawValue) (\(result.status ?? "")): \(result.changes.counts).")
        }
        lines += result.changes.lines.map { "  " + $0 }
        for sentence in result.converged { lines.append("Converged: \(sentence).") }
        for sentence in result.notes { lines.append("Note: \(sentence).") }
        if !result.folderMarkers.isEmpty { lines.append("Made \(result.folderMarkers.count) folder markers.") }
        if !result.outputs.isEmpty && result.action != .previewed {
            let width = result.outputs.map(\.key.count).max() ?? 0
            lines.append(result.outputsDerived ? "Outputs (the endpoint reported none; derived from the stack's resources):" : "Outputs:")
            for output in result.outputs { lines.append("  " + output.key.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + output.value) }
        }
        return lines.joined(separator: "\n")
    }

    /// `{stack, action, status, validation, changes: {added, modified, replaced, removed}, converged, folderMarkers, outputs: {key: value}}`.
    public static func json(_ result: StackDeployer.Result) -> JSONValue {
        func ids(_ list: [ResourceChange]) -> JSONValue { .array(list.map { .string($0.logicalResourceId) }) }
        return .object([
            ("stack", .string(result.stackName)),
            ("action", .string(result.action.rawValue)),
            ("status", result.status.map(JSONValue.string) ?? .null),
            ("validation", .string(result.validation.rawValue)),
            ("changes", .object([("added", ids(result.changes.added)), ("modified", ids(result.changes.modified)),
                                 ("replaced", ids(result.changes.replaced)), ("removed", ids(result.changes.removed))])),
            ("converged", .array(result.converged.map(JSONValue.string))),
            ("notes", .array(result.notes.map(JSONValue.string))),
            ("folderMarkers", .array(result.folderMarkers.map(JSONValue.string))),
            ("outputs", .object(result.outputs.map { (key: $0.key, value: .string($0.value)) })),
        ])
    }
}

/// The deploy options, under the name the CLI uses.
public typealias DeployOptions = StackDeployer.Options
