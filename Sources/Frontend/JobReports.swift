import DevAMI
import Foundation
import Jobs
import LosslessJSON

/// How `ncaas test-job` and `ncaas data` say what happened, for people and for scripts.
public enum JobReports {
    public static func text(_ report: JobReport) -> String {
        var lines = ["\(report.layout.jobName): \(report.datasets.filter { $0.status.status == .success }.count) of \(report.datasets.count) datasets succeeded in \(String(format: "%.1f", report.seconds)) s"]
        for dataset in report.datasets {
            let hint = dataset.status.status == .failed ? JobLogsHint.suffix(report.layout, dataset: dataset.key) : ""
            lines.append("  \(dataset.status.status.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)) \(dataset.key)\(dataset.status.reason.last.map { ": \($0)" } ?? "")\(hint)")
            for (number, attempt) in (dataset.status.attempts ?? []).enumerated() {
                lines.append("    attempt \(number + 1): \(attempt.status.rawValue) on \(attempt.instance)\(attempt.reason.last.map { ": \($0)" } ?? "")")
            }
        }
        lines.append("results: s3://\(report.layout.bucket)/\(report.layout.resultPrefix)/")
        if !report.leftRunning.isEmpty {
            lines.append("instances: " + JobReport.leftRunningSentence(report.leftRunning, reason: report.terminateFailure ?? "") + ".")
        }
        return lines.joined(separator: "\n")
    }

    public static func json(_ report: JobReport) -> JSONValue {
        .object([
            ("job", .string(report.layout.jobName)),
            ("bucket", .string(report.layout.bucket)),
            ("group", .string(report.layout.group)),
            ("results", .string(report.layout.resultPrefix + "/")),
            ("state", .string(report.state.rawValue)),
            ("succeeded", .bool(report.succeeded)),
            ("seconds", .number(String(format: "%.2f", report.seconds))),
            ("instances", .array(report.instanceIds.map(JSONValue.string))),
            ("leftRunning", .array(report.leftRunning.map(JSONValue.string))),
            ("datasets", .array(report.datasets.map { dataset in
                var members: [(key: String, value: JSONValue)] = [
                    ("dataname", .string(dataset.key)),
                    ("status", .string(dataset.status.status.rawValue)),
                    ("reason", .array(dataset.status.reason.map(JSONValue.string))),
                    ("instance", .string(dataset.status.instance)),
                    ("statusFile", .string(report.layout.statusKey(dataset: dataset.key))),
                ]
                if let code = dataset.status.exitCode { members.append(("exitCode", .number(String(code)))) }
                if let market = dataset.status.market { members.append(("market", .string(market.rawValue))) }
                if let attempts = dataset.status.attempts {
                    members.append(("attempts", .array(attempts.map { attempt in
                        .object([("status", .string(attempt.status.rawValue)), ("instance", .string(attempt.instance)),
                                 ("market", attempt.market.map { .string($0.rawValue) } ?? .null),
                                 ("reason", .array(attempt.reason.map(JSONValue.string)))])
                    })))
                }
                return .object(members)
            })),
        ])
    }

    public static func movedText(_ moved: [DataTransfer.Moved], bucket: String, upload: Bool) -> String {
        moved.map { upload ? "s3://\(bucket)/\($0.key)  \($0.bytes) bytes" : "\($0.path)  \($0.bytes) bytes" }.joined(separator: "\n")
    }

    /// One object per file moved (`key`, `path`, `bytes`), then one per object skipped (`key`, `skipped`: why).
    public static func movedJSON(_ moved: [DataTransfer.Moved], skipped: [DataTransfer.Skipped] = []) -> JSONValue {
        .array(moved.map { .object([("key", .string($0.key)), ("path", .string($0.path)), ("bytes", .number(String($0.bytes)))]) }
               + skipped.map { .object([("key", .string($0.key)), ("skipped", .string($0.reason))]) })
    }

    /// Prints a line on standard error each time a dataset's status changes, when it is a terminal.
    public static func liveStatus(quiet: Bool) -> @Sendable (String, DatasetStatus) -> Void {
        guard !quiet, isatty(STDERR_FILENO) == 1 else { return { _, _ in } }
        let start = Date()
        let lock = NSLock()
        return { dataset, status in
            lock.lock(); defer { lock.unlock() }
            let reason = status.reason.last.map { " — \($0)" } ?? ""
            FileHandle.standardError.write(Data(String(format: "%6.2fs  %@  %@%@\n", Date().timeIntervalSince(start),
                                                       status.status.rawValue, dataset, reason).utf8))
        }
    }
}
