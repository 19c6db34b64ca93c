import Foundation

/// `logs/certificate.txt`: the job's human-readable log, in NeuroCAAS's shape. It opens with the
/// job's identity, goes through `STEP n/4` lines (1 submission checked, 2 instances launched,
/// 3 analysis running, 4 job finished), and ends with one `DATANAME: <key> | STATUS: ... | ...`
/// line per dataset. Thread-safe; the whole text is rewritten on every publish.
public final class Certificate: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String]
    private var datasets: [(key: String, line: String)]

    public init(layout: JobLayout, datanames: [String], configname: String, now: Date) {
        lines = [
            "REQUEST START TIME: \(Certificate.time(now)) (GMT)",
            "ANALYSIS VERSION ID: \(layout.analysis)",
            "JOB ID: \(layout.jobName)",
            "GROUP: \(layout.group)",
            "CONFIG: \(configname)",
            "",
        ]
        datasets = datanames.map { ($0, "DATANAME: \($0) | STATUS: INITIALIZING") }
    }

    /// Adds a line (a `STEP n/4` line or a note).
    public func append(_ line: String) {
        lock.lock(); defer { lock.unlock() }
        lines.append(line)
    }

    /// Sets the one line about `dataset`.
    public func setDataset(_ dataset: String, _ status: DatasetStatus) {
        var parts = ["DATANAME: \(dataset)", "STATUS: \(status.status.rawValue)"]
        if !status.instance.isEmpty { parts.append("INSTANCE: \(status.instance)") }
        if let start = status.jobStart { parts.append("START: \(start)") }
        if let finish = status.jobFinish { parts.append("FINISH: \(finish)") }
        if let reason = status.reason.last { parts.append("REASON: \(reason)") }
        lock.lock(); defer { lock.unlock() }
        if let index = datasets.firstIndex(where: { $0.key == dataset }) { datasets[index].line = parts.joined(separator: " | ") }
    }

    public var text: String {
        lock.lock(); defer { lock.unlock() }
        return (lines + ["", "DATASETS:"] + datasets.map(\.line)).joined(separator: "\n") + "\n"
    }

    static func time(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: date)
    }
}
