import Foundation
import LocalCloud
import LosslessJSON

/// `ncaas local down`: removes the containers of the local cloud (and orphans) and stops its endpoint.
/// The `local` profile, the base image and images ncaas created are kept.
public struct LocalDown {
    public var cloud: LocalCloud

    public init(cloud: LocalCloud = LocalCloud()) {
        self.cloud = cloud
    }

    public func run() throws -> LocalCloud.DownReport { try cloud.down() }

    public static func text(_ report: LocalCloud.DownReport) -> String {
        var lines: [String] = []
        if report.removedContainers.isEmpty {
            lines.append("No instance containers to remove.")
        } else {
            lines.append("Removed \(report.removedContainers.count) container\(report.removedContainers.count == 1 ? "" : "s"): "
                         + report.removedContainers.map(\.container.name).joined(separator: " "))
        }
        if !report.keptContainers.isEmpty {
            lines.append("Left \(report.keptContainers.count) container(s) of other running local endpoints alone: "
                         + report.keptContainers.map { "\($0.container.name) (\($0.endpoint))" }.joined(separator: " "))
        }
        if let moto = report.stoppedMoto {
            lines.append("Stopped the endpoint (pid \(moto.pid), \(moto.endpoint)).")
        } else {
            lines.append("The endpoint was not running.")
        }
        lines.append("Kept the profile '\(report.profileName)' in \(report.profileFiles.configPath), the base image and images ncaas created; `ncaas local up` brings the endpoint back.")
        return lines.joined(separator: "\n")
    }

    public static func json(_ report: LocalCloud.DownReport) -> JSONValue {
        .object([
            ("removedContainers", .array(report.removedContainers.map { .string($0.container.name) })),
            ("keptContainers", .array(report.keptContainers.map { .string($0.container.name) })),
            ("stoppedMoto", report.stoppedMoto.map { .object([("pid", .number(String($0.pid))), ("endpoint", .string($0.endpoint))]) } ?? .null),
            ("profileKept", .string(report.profileName)),
        ])
    }
}
