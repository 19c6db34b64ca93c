import AWS
import Blueprint
import DevAMI
import Foundation
import LosslessJSON
import SSH
import Support

/// What every `ncaas dev` and `ncaas image` command starts from: the blueprint (checked), its
/// analysis name, and the cloud (client, home, SSH settings) built once.
public struct DevContext {
    public var blueprintPath: String
    public var blueprint: Blueprint
    public var analysis: String
    public var cloud: DevCloud

    /// Loads `target` (a blueprint name, folder or file) and connects to the endpoint the AWS
    /// options, environment and profile name. An invalid blueprint is refused before any call.
    public static func make(_ target: String, overrides: ConfigurationOverrides,
                            transport: any HTTPTransport = CurlTransport()) throws -> DevContext {
        let path = try BlueprintFile.resolve(target)
        let document = try BlueprintFile.load(path)
        let errors = BlueprintValidator.validate(document).filter { $0.severity == .error }
        guard errors.isEmpty else {
            throw DevError(.failed, "The blueprint is invalid, nothing was done: \(errors.map { "\($0.path): \($0.message)" }.joined(separator: "; ")). Run `ncaas blueprint validate \(target)` for details.")
        }
        let blueprint = Blueprint(document: document)
        guard let analysis = blueprint.pipelineName else {
            throw DevError(.failed, "The blueprint has no PipelineName.")
        }
        AnalysisHint.record(target, for: analysis)
        let cloud = try CloudConnection.devCloud(overrides: overrides, fallbackRegion: blueprint.region, transport: transport)
        return DevContext(blueprintPath: path, blueprint: blueprint, analysis: analysis, cloud: cloud)
    }

    /// The image an image build starts from: `explicit`, else the blueprint's `ncaas.image.base`,
    /// else its AMI when that is an alias (a built AMI is not a base: rebuilding on it would not
    /// be reproducible), else `ubuntu18`.
    public func imageBuildBase(explicit: String?) -> String {
        if let explicit { return explicit }
        if let configured = blueprint.document.value(at: [.key(Blueprint.ncaasKey), .key("image"), .key("base")])?.stringValue { return configured }
        if let ami = blueprint.ami, MachineImage.aliases.contains(ami) { return ami }
        return "ubuntu18"
    }

    /// The subnet to launch in: `explicit` (`--subnet`), else the blueprint's `ncaas.network.subnet`;
    /// nil: the default VPC. A value that is not a subnet id is refused naming where it came from.
    public func subnet(explicit: String?) throws -> String? {
        if let explicit { return try SubnetID.checked(explicit, source: "--subnet") }
        return try SubnetID.checked(blueprint.subnet, source: "The blueprint's ncaas.network.subnet")
    }

    /// The login user the blueprint names (`ncaas.ssh.user`); nil: the image's default user.
    public var loginUser: String? {
        blueprint.document.value(at: [.key(Blueprint.ncaasKey), .key("ssh"), .key("user")])?.stringValue
    }
}

/// Prints a workflow's progress lines on standard error, only when it is a terminal.
public enum ProgressLines {
    /// A printer, or a no-op when standard error is not a terminal or the output is for scripts.
    public static func forTerminal(quiet: Bool = false) -> @Sendable (String) -> Void {
        guard !quiet, isatty(STDERR_FILENO) == 1 else { return { _ in } }
        let start = Date()
        return { line in
            FileHandle.standardError.write(Data(String(format: "%6.2fs  … %@\n", Date().timeIntervalSince(start), line).utf8))
        }
    }
}
