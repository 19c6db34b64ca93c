import Foundation
import LocalCloud
import LosslessJSON

/// `ncaas local status`: the endpoint and whether it answers, the base image, the running
/// instances with their addresses, and orphaned containers.
public struct LocalStatus {
    public var cloud: LocalCloud

    public init(cloud: LocalCloud = LocalCloud()) {
        self.cloud = cloud
    }

    public func run() throws -> LocalCloud.StatusReport { try cloud.status() }

    public static func text(_ report: LocalCloud.StatusReport) -> String {
        var lines: [String] = []
        func row(_ label: String, _ value: String) { lines.append(label.padding(toLength: 14, withPad: " ", startingAt: 0) + value) }
        if let moto = report.moto {
            row("endpoint", "\(moto.endpoint) (pid \(moto.pid): \(report.motoAnswers ? "answering" : "not answering; run `ncaas local up`"))")
        } else {
            row("endpoint", "not started; run `ncaas local up`")
        }
        row("profile", report.profileEndpoint.map { "local → \($0)" } ?? "none (written by `ncaas local up`)")
        if !report.podmanInstalled {
            row("podman", "not installed; run scripts/setup")
            return lines.joined(separator: "\n")
        }
        row("base image", report.baseImageSize.map { "\(BaseImageRecipe.reference) (\(formatBytes($0)))" } ?? "missing (`ncaas local up` builds it)")
        row("images", report.createdImages.isEmpty ? "none created" : report.createdImages.joined(separator: " "))
        row("podman args", report.podmanOptions.map { $0.summary } ?? "not detected yet")
        let live = report.containers.filter { !$0.isOrphan }
        if live.isEmpty {
            row("instances", "none")
        } else {
            for entry in live {
                let ssh = entry.address.map { "address \($0)" } ?? "no address"
                let state: String
                switch entry.standing {
                case .instance(let value): state = value
                case .unknown(let reason): state = "unknown (\(reason))"
                case .orphan: state = "orphan"
                }
                row("instance", "\(entry.instanceId)  \(state)  container \(entry.container.state)  \(ssh)  \(entry.endpoint)")
            }
        }
        for entry in report.orphans {
            if case .orphan(let reason) = entry.standing {
                row("orphan", "\(entry.container.name) (container \(entry.container.state)): \(reason); `ncaas local down` removes it")
            }
        }
        return lines.joined(separator: "\n")
    }

    public static func json(_ report: LocalCloud.StatusReport) -> JSONValue {
        func entryJSON(_ entry: LocalInstanceContainer) -> JSONValue {
            var state: JSONValue = .null
            var reason: JSONValue = .null
            switch entry.standing {
            case .instance(let value): state = .string(value)
            case .orphan(let why): reason = .string(why)
            case .unknown(let why): reason = .string(why)
            }
            return .object([
                ("instanceId", .string(entry.instanceId)),
                ("container", .string(entry.container.name)),
                ("containerState", .string(entry.container.state)),
                ("instanceState", state),
                ("address", entry.address.map { .string($0) } ?? .null),
                ("endpoint", .string(entry.endpoint)),
                ("orphan", .bool(entry.isOrphan)),
                ("reason", reason),
            ])
        }
        return .object([
            ("endpoint", report.moto.map { .string($0.endpoint) } ?? .null),
            ("motoPid", report.moto.map { .number(String($0.pid)) } ?? .null),
            ("motoAnswers", .bool(report.motoAnswers)),
            ("profileEndpoint", report.profileEndpoint.map { .string($0) } ?? .null),
            ("podmanInstalled", .bool(report.podmanInstalled)),
            ("baseImage", .object([
                ("reference", .string(BaseImageRecipe.reference)),
                ("present", .bool(report.baseImageSize != nil)),
                ("bytes", report.baseImageSize.map { .number(String($0)) } ?? .null),
            ])),
            ("createdImages", .array(report.createdImages.map { .string($0) })),
            ("podmanArguments", report.podmanOptions.map { .array(($0.globalArguments + $0.runArguments).map { .string($0) }) } ?? .null),
            ("instances", .array(report.containers.filter { !$0.isOrphan }.map(entryJSON))),
            ("orphans", .array(report.orphans.map(entryJSON))),
        ])
    }

    static func formatBytes(_ bytes: Int64) -> String {
        String(format: "%.0f MB", Double(bytes) / 1_000_000)
    }
}
