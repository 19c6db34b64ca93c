import DevAMI
import Foundation
import LocalCloud
import LosslessJSON
import Support

/// `ncaas local interrupt <instance-id> [--after 120s]`: a spot interruption as EC2 makes one, on
/// the local cloud, so that recovery can be tried end to end.
public enum LocalInterrupt {
    /// Seconds from `text` (`120s`, `2m`, `0`); nil when it is not a duration of zero to a day.
    public static func seconds(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let zero = Double(trimmed.hasSuffix("s") ? String(trimmed.dropLast()) : trimmed), zero == 0 { return 0 }
        return DurationText.seconds(trimmed).flatMap { $0 <= 86_400 ? $0 : nil }
    }

    /// Interrupts `instanceId` (see `LocalCloud.interrupt`).
    public static func run(_ instanceId: String, after: Double, cloud: LocalCloud = LocalCloud()) throws -> LocalCloud.InterruptReport {
        try cloud.interrupt(instanceId, after: after)
    }

    /// One line for people: what was posted and when the instance goes.
    public static func text(_ report: LocalCloud.InterruptReport) -> String {
        "\(report.instanceId): interruption notice posted in its metadata (spot/instance-action); the endpoint terminates it "
            + "in \(DurationText.describe(report.after)), at \(InstanceTags.format(report.terminatesAt)) (state reason Server.SpotInstanceTermination)."
    }

    /// The same for scripts.
    public static func json(_ report: LocalCloud.InterruptReport) -> JSONValue {
        .object([
            ("instanceId", .string(report.instanceId)),
            ("endpoint", .string(report.endpoint)),
            ("after", .number(String(format: "%g", report.after))),
            ("terminatesAt", .string(InstanceTags.format(report.terminatesAt))),
        ])
    }
}
