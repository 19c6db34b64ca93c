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

    /// What a deploy did: the stack, and the job manager when the stack holds one.
    public struct Report {
        public var stack: StackDeployer.Result
        public var manager: ManagerDeployment.Outcome?
    }

    /// Deploys the blueprint named or found at `target`. An invalid blueprint, or a job manager this
    /// ncaas cannot ship, is refused before any call is made.
    public func run(_ target: String, options: StackDeployer.Options, manager: ManagerDeployment.Options = .init(),
                    progress: ((DeployProgress) -> Void)?) throws -> Report {
        let loaded = try RenderAnalysis.load(target, manager: manager.enabled ? nil : false)
        let template = loaded.template
        let binary = template.includesManager && !options.dryRun
            ? try ManagerExecutable.resolve(explicit: manager.binary, instanceType: template.blueprint.manager.instanceType) : nil
        let client = try Self.client(overrides: overrides, transport: transport, blueprint: template.blueprint)
        var options = options
        options.tags = [
            Tag(key: StackNaming.analysisTag, value: template.naming.analysis),
            Tag(key: StackNaming.commitTag, value: DeployBlueprintCommit.describe(blueprintPath: loaded.blueprintPath)),
        ] + options.tags
        // The image jobs need is checked now (DescribeImages), not when the first job fails: a note.
        let imageProblem = template.blueprint.ami.flatMap { ImageCheck.problem($0, analysis: template.naming.analysis, ec2: client.ec2) }
        var stack = try StackDeployer(client: client, template: template, progress: progress).deploy(options)
        if let imageProblem { stack.notes.append("jobs cannot start yet: Lambda.LambdaConfig.AMI " + imageProblem.trimmingCharacters(in: CharacterSet(charactersIn: "."))) }
        guard let binary else { return Report(stack: stack, manager: nil) }
        let deployment = ManagerDeployment(cloud: try DevCloud.make(client: client), naming: template.naming, settings: template.blueprint.manager,
                                           progress: { progress?(.step($0)) })
        return Report(stack: stack, manager: try deployment.run(binary: binary, blueprintPath: loaded.blueprintPath, timeout: manager.timeout))
    }

    /// The stack's lines, then the manager's.
    public static func text(_ report: Report) -> String {
        var lines = [text(report.stack)]
        if let manager = report.manager {
            let price = manager.monthlyDollars.map { String(format: "about $%.2f a month at on-demand prices", $0) } ?? "its price is not in ncaas's table"
            let shipped = manager.shipped.uploadedBytes > 0 ? String(format: "ncaas uploaded, %.1f MB", Double(manager.shipped.uploadedBytes) / 1e6) : "the same ncaas as before"
            lines.append("Job manager: \(manager.heartbeat.instanceId) serving (\(manager.instanceType), \(price); \(shipped)); `ncaas manager status \(report.stack.stackName)` shows it.")
        }
        return lines.joined(separator: "\n")
    }

    /// The stack's JSON with `manager` added.
    public static func json(_ report: Report) -> JSONValue {
        guard case .object(var members) = json(report.stack) else { return json(report.stack) }
        members.append((key: "manager", value: report.manager.map { manager in
            .object([
                ("instanceId", .string(manager.heartbeat.instanceId)),
                ("instanceType", .string(manager.instanceType)),
                ("monthlyDollars", manager.monthlyDollars.map { .number(String(format: "%.2f", $0)) } ?? .null),
                ("build", .string(manager.shipped.build)),
                ("uploadedBytes", .number(String(manager.shipped.uploadedBytes))),
            ])
        } ?? .null))
        return .object(members)
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
