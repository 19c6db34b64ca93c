import Foundation
import LocalCloud
import LosslessJSON
import Permissions

/// `ncaas local up`: starts (or reuses) the local cloud and says what it started, where the
/// logs are and how long it took.
public struct LocalUp {
    public var cloud: LocalCloud

    public init(cloud: LocalCloud = LocalCloud()) {
        self.cloud = cloud
    }

    public func run(port: Int?, defaultVPC: Bool = true, progress: (String) -> Void) throws -> LocalCloud.UpReport {
        try cloud.up(LocalCloud.UpOptions(port: port, policy: NCAASPolicy.document(), defaultVPC: defaultVPC), progress: progress)
    }

    /// Lines for people.
    public static func text(_ report: LocalCloud.UpReport) -> String {
        var lines: [String] = []
        func row(_ label: String, _ value: String) { lines.append(label.padding(toLength: 14, withPad: " ", startingAt: 0) + value) }
        row("endpoint", "\(report.moto.endpoint) (pid \(report.moto.pid), \(report.startedMoto ? "started" : "already running")\(report.moto.defaultVPC == false ? ", no default VPC" : ""))")
        if report.baseImage.built {
            row("base image", "\(BaseImageRecipe.reference) built in \(String(format: "%.0f", report.baseImage.seconds)) s")
        } else {
            row("base image", "\(BaseImageRecipe.reference) (already built)")
        }
        row("podman args", "\(report.podmanOptions.summary) (\(report.podmanOptions.source.phrase))")
        row("aliases", report.aliases.map { "\($0.alias)=\($0.imageId)" }.joined(separator: " "))
        row("ssh", "port \(report.sshPort) of each instance's own address" + (report.sshPort == 22 ? "" : " (port 22 is taken here; the profile records ncaas_ssh_port)"))
        row("profile", "\(report.profileName) in \(report.profileFiles.configPath) and \(report.profileFiles.credentialsPath)")
        row("logs", report.motoLog + (report.baseImage.built ? ", \(report.buildLog)" : ""))
        lines.append("")
        lines.append(String(format: "ready in %.1f s: use --profile %@ or NCAAS_PROFILE=%@ (e.g. `ncaas doctor --profile %@`).",
                            report.seconds, report.profileName, report.profileName, report.profileName))
        return lines.joined(separator: "\n")
    }

    public static func json(_ report: LocalCloud.UpReport) -> JSONValue {
        .object([
            ("endpoint", .string(report.moto.endpoint)),
            ("motoPid", .number(String(report.moto.pid))),
            ("startedMoto", .bool(report.startedMoto)),
            ("baseImage", .object([
                ("reference", .string(BaseImageRecipe.reference)),
                ("built", .bool(report.baseImage.built)),
                ("seconds", .number(String(format: "%.1f", report.baseImage.seconds))),
            ])),
            ("podmanArguments", .array((report.podmanOptions.globalArguments + report.podmanOptions.runArguments).map { .string($0) })),
            ("aliases", .object(report.aliases.map { ($0.alias, .string($0.imageId)) })),
            ("sshPort", .number(String(report.sshPort))),
            ("defaultVPC", .bool(report.moto.defaultVPC ?? true)),
            ("profile", .string(report.profileName)),
            ("configFile", .string(report.profileFiles.configPath)),
            ("credentialsFile", .string(report.profileFiles.credentialsPath)),
            ("motoLog", .string(report.motoLog)),
            ("seconds", .number(String(format: "%.1f", report.seconds))),
        ])
    }
}

extension PodmanOptions.Source {
    /// Where the options came from, as a phrase.
    var phrase: String {
        switch self {
        case .environment: return "from \(PodmanOptions.environmentVariable)"
        case .detected: return "detected on this machine"
        case .none: return "none needed"
        }
    }
}
