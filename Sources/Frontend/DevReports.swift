import AWS
import DevAMI
import Foundation
import LosslessJSON

/// How dev results print, for people and for scripts.
public enum DevReports {
    public static func launchText(_ result: DevLaunch.Result) -> String {
        """
        Dev instance \(result.record.instanceId) for \(result.record.analysis) is ready at \(result.address) (\(result.instance.instanceType), \(result.instance.imageId)); it stops itself at \(InstanceTags.format(result.record.expiresAt)) unless extended.
        ssh:  \(shellLine(result.sshCommand))
        or:   ncaas dev ssh \(result.record.analysis)
        """
    }

    public static func launchJSON(_ result: DevLaunch.Result) -> JSONValue {
        .object([
            ("analysis", .string(result.record.analysis)),
            ("instanceId", .string(result.record.instanceId)),
            ("address", .string(result.address)),
            ("instanceType", .string(result.instance.instanceType)),
            ("imageId", .string(result.instance.imageId)),
            ("expiresAt", .string(InstanceTags.format(result.record.expiresAt))),
            ("ssh", .array(result.sshCommand.map(JSONValue.string))),
        ])
    }

    public static func statusText(_ analysis: String, _ status: DevStatus, now: Date) -> String {
        let left = status.timeLeft(at: now)
        var lines = [
            "\(analysis): dev instance \(status.instanceId) is \(status.state)",
            "  address     \(status.address ?? "none")",
            "  type        \(status.instanceType) from \(status.imageId)",
            "  uptime      \(DurationText.describe(status.uptime(at: now)))",
            "  time left   \(left > 0 ? DurationText.describe(left) : "none: past its deadline") (deadline \(InstanceTags.format(status.expiresAt)))",
            "  images      \(status.imageIds.isEmpty ? "none yet (ncaas dev create-image \(analysis))" : status.imageIds.joined(separator: ", "))",
        ]
        if let owner = status.owner { lines.append("  owner       \(owner)") }
        return lines.joined(separator: "\n")
    }

    public static func statusJSON(_ analysis: String, _ status: DevStatus, now: Date) -> JSONValue {
        .object([
            ("analysis", .string(analysis)),
            ("instanceId", .string(status.instanceId)),
            ("state", .string(status.state)),
            ("address", status.address.map(JSONValue.string) ?? .null),
            ("instanceType", .string(status.instanceType)),
            ("imageId", .string(status.imageId)),
            ("launchedAt", .string(InstanceTags.format(status.launchedAt))),
            ("expiresAt", .string(InstanceTags.format(status.expiresAt))),
            ("uptimeSeconds", .number(String(Int(status.uptime(at: now))))),
            ("secondsLeft", .number(String(Int(status.timeLeft(at: now))))),
            ("images", .array(status.imageIds.map(JSONValue.string))),
            ("owner", status.owner.map(JSONValue.string) ?? .null),
        ])
    }

    public static func imageBuildText(_ analysis: String, _ result: ImageBuild.Result) -> String {
        guard let update = result.update else {
            return "\(result.imageId) is up to date for \(analysis): built from the same blueprint folder; nothing to build."
        }
        return "Built \(result.imageId) for \(analysis) in \(String(format: "%.1f", result.seconds)) s; \(update.blueprintPath) now names it (commits \(update.before.prefix(8)), \(update.after.prefix(8)))."
    }

    public static func imageBuildJSON(_ result: ImageBuild.Result) -> JSONValue {
        .object([
            ("imageId", .string(result.imageId)),
            ("reused", .bool(result.reused)),
            ("instanceId", result.instanceId.map(JSONValue.string) ?? .null),
            ("blueprint", result.update.map { .string($0.blueprintPath) } ?? .null),
            ("previousAMI", result.update?.previousAMI.map(JSONValue.string) ?? .null),
            ("commits", .array(result.update.map { [.string($0.before), .string($0.after)] } ?? [])),
            ("seconds", .number(String(format: "%.1f", result.seconds))),
        ])
    }

    /// Words joined for a shell, each quoted when it needs it.
    public static func shellLine(_ words: [String]) -> String {
        words.map { word in
            word.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:@%+,".contains($0) } && !word.isEmpty
                ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }.joined(separator: " ")
    }
}
