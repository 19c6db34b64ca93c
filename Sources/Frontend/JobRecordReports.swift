import Costs
import Foundation
import Jobs
import LosslessJSON
import Prices

/// How `ncaas jobs` and `ncaas gc` print jobs and collected instances.
public enum JobRecordReports {
    public static func listText(_ records: [JobRecord]) -> String {
        guard !records.isEmpty else { return "no jobs" }
        return records.map { record in
            let done = record.datasets.filter { $0.status == .success }.count
            return "\(record.layout.jobName)  \(record.layout.group)  \(record.state.rawValue)  \(done)/\(record.datasets.count) succeeded\(record.started.map { "  started \($0)" } ?? "")"
        }.joined(separator: "\n")
    }

    public static func listJSON(_ records: [JobRecord]) -> JSONValue {
        .array(records.map(summaryJSON))
    }

    static func summaryJSON(_ record: JobRecord) -> JSONValue {
        .object([
            ("job", .string(record.layout.jobName)),
            ("group", .string(record.layout.group)),
            ("state", .string(record.state.rawValue)),
            ("finished", .bool(record.finished)),
            ("started", record.started.map(JSONValue.string) ?? .null),
            ("datasets", .number(String(record.datasets.count))),
            ("succeeded", .number(String(record.datasets.filter { $0.status == .success }.count))),
        ])
    }

    public static func statusText(_ record: JobRecord) -> String {
        var lines = ["\(record.layout.jobName) (\(record.layout.group)): \(record.state.rawValue)"]
        for status in record.datasets {
            let hint = status.status == .failed ? JobLogsHint.suffix(record.layout, dataset: status.input) : ""
            lines.append("  \(status.status.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)) \(status.input)\(status.instance.isEmpty ? "" : "  \(status.instance)")\(status.reason.last.map { ": \($0)" } ?? "")\(hint)")
            for (number, attempt) in (status.attempts ?? []).enumerated() {
                lines.append("    attempt \(number + 1): \(attempt.status.rawValue) on \(attempt.instance)\(attempt.reason.last.map { ": \($0)" } ?? "")")
            }
        }
        return lines.joined(separator: "\n")
    }

    public static func statusJSON(_ record: JobRecord) -> JSONValue {
        guard case .object(var members) = summaryJSON(record) else { return .null }
        members.removeAll { $0.key == "datasets" }
        let statuses: [JSONValue] = record.datasets.compactMap { status in
            (try? JSONDocument(bytes: Array(status.json))).map(\.value)
        }
        members.append(("datasets", .array(statuses)))
        return .object(members)
    }

    /// The dataset's tails, labelled.
    public static func logsText(_ status: DatasetStatus) -> String {
        "== \(status.input): \(status.status.rawValue) ==\n== stdout (tail) ==\n\(status.stdout)\(status.stdout.hasSuffix("\n") || status.stdout.isEmpty ? "" : "\n")== stderr (tail) ==\n\(status.stderr)"
    }

    public static func collectedText(_ report: CollectGarbage.Report, dryRun: Bool) -> String {
        guard !report.instances.isEmpty || !report.snapshots.isEmpty else { return "nothing to collect" }
        var lines = report.instances.map {
            "\(dryRun ? "would terminate" : "terminated") \($0.instanceId) (\($0.analysis), \($0.role)): \($0.reason); \($0.hourly.map { "\(Dollars.rate($0))/h" } ?? "rate unknown")"
        }
        lines += report.snapshots.map { snapshot in
            "\(dryRun ? "would delete" : "deleted") \(snapshot.snapshotId) (\(snapshot.analysis), snapshot of \(snapshot.gigabytes) GB): its image is gone; "
                + (OrphanSnapshots.monthly(snapshot).map { "\(Dollars.rate($0))/month" } ?? "rate unknown")
        }
        lines.append("\(dryRun ? "would save" : "saved") \(Dollars.rate(report.savedHourly))/h\(report.savedUnknown ? " + unknown" : "")")
        return lines.joined(separator: "\n")
    }

    public static func collectedJSON(_ report: CollectGarbage.Report, dryRun: Bool) -> JSONValue {
        .object([
            ("dryRun", .bool(dryRun)),
            ("instances", .array(report.instances.map {
                .object([("instanceId", .string($0.instanceId)), ("analysis", .string($0.analysis)), ("role", .string($0.role)), ("reason", .string($0.reason)),
                         ("hourly", $0.hourly.map { .number(String(format: "%.6f", $0)) } ?? .null)])
            })),
            ("snapshots", .array(report.snapshots.map {
                .object([("snapshotId", .string($0.snapshotId)), ("analysis", .string($0.analysis)), ("gigabytes", .number(String($0.gigabytes))),
                         ("monthly", OrphanSnapshots.monthly($0).map { .number(String(format: "%.6f", $0)) } ?? .null)])
            })),
            ("savedHourly", .number(String(format: "%.6f", report.savedHourly))),
            ("savedUnknown", .bool(report.savedUnknown)),
        ])
    }
}
