import AWS
import Foundation

/// `logs/certificate.txt`: the job's human-readable log, in NeuroCAAS's shape. It opens with the
/// job's identity, goes through `STEP n/4` lines (1 submission checked, 2 instances launched,
/// 3 analysis running, 4 job finished), and ends with one `DATANAME: <key> | STATUS: ... | ...`
/// line per dataset, followed by an indented `ATTEMPT n:` line for each earlier attempt of a dataset
/// run again after a spot interruption. Thread-safe; the whole text is rewritten on every publish.
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
        let attempts = status.attempts ?? []
        let showMarket = status.market == .spot || !attempts.isEmpty
        var parts = ["DATANAME: \(dataset)", "STATUS: \(status.status.rawValue)"]
        parts += Self.details(instance: status.instance, market: showMarket ? status.market : nil, start: status.jobStart,
                              finish: status.jobFinish, reason: status.reason.last)
        var lines = [parts.joined(separator: " | ")]
        for (number, attempt) in attempts.enumerated() {
            lines.append("    ATTEMPT \(number + 1): \(attempt.status.rawValue) | " + Self.details(
                instance: attempt.instance, market: attempt.market, start: attempt.jobStart, finish: attempt.jobFinish,
                reason: attempt.reason.last).joined(separator: " | "))
        }
        lock.lock(); defer { lock.unlock() }
        if let index = datasets.firstIndex(where: { $0.key == dataset }) { datasets[index].line = lines.joined(separator: "\n") }
    }

    private static func details(instance: String, market: InstanceMarket?, start: String?, finish: String?, reason: String?) -> [String] {
        var parts: [String] = []
        if !instance.isEmpty { parts.append("INSTANCE: \(instance)") }
        if let market { parts.append("MARKET: \(market.rawValue)") }
        if let start { parts.append("START: \(start)") }
        if let finish { parts.append("FINISH: \(finish)") }
        if let reason { parts.append("REASON: \(reason)") }
        return parts
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
