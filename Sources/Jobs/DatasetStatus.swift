import AWS
import DevAMI
import Foundation

/// A dataset's status file (`logs/DATASET_NAME:<basename>_STATUS.txt`), NeuroCAAS's JSON shape:
/// `status`, `reason` (sentences), `stdout` and `stderr` (tails), `input` (the dataset key),
/// `instance` (its id), `command` (as run), `job_start` and `job_finish` (ISO 8601 UTC),
/// `memory_usage` (peak, e.g. "12.3 MB") and `cpu_usage` (CPU seconds, e.g. "0.42 s"). ncaas adds
/// `exit_code`, `instance_type`, and `instance_launch` / `instance_terminate` (when the job's own
/// instance was launched and terminated: what MAXCOST counts), `market` (spot or on-demand) and
/// `attempts` (the earlier attempts of a dataset run again after a spot interruption, oldest first),
/// which NeuroCAAS readers ignore.
public struct DatasetStatus: Codable, Sendable, Equatable {
    public enum State: String, Codable, Sendable {
        case initializing = "INITIALIZING"
        case inProgress = "IN PROGRESS"
        case success = "SUCCESS"
        case failed = "FAILED"
        /// The dataset's spot instance was reclaimed before it finished; it is run again (not final).
        case interrupted = "INTERRUPTED"

        public var isFinal: Bool { self == .success || self == .failed }
    }

    public var status: State
    public var reason: [String]
    public var stdout: String
    public var stderr: String
    public var input: String
    public var instance: String
    public var command: String
    public var jobStart: String?
    public var jobFinish: String?
    public var memoryUsage: String?
    public var cpuUsage: String?
    public var exitCode: Int?
    public var instanceType: String?
    /// When the dataset's instance was launched by its job (nil on a reused instance).
    public var instanceLaunch: String?
    /// When the job terminated it.
    public var instanceTerminate: String?
    /// The market the dataset's instance ran in ("on-demand" or "spot"; nil in records from before it).
    public var market: InstanceMarket?
    /// The dataset's earlier attempts, oldest first (nil when there was one attempt).
    public var attempts: [DatasetAttempt]?

    /// What EC2 bills a Linux instance at the least, in seconds.
    public static let minimumBilledSeconds: Double = 60

    enum CodingKeys: String, CodingKey {
        case status, reason, stdout, stderr, input, instance, command
        case jobStart = "job_start", jobFinish = "job_finish", memoryUsage = "memory_usage", cpuUsage = "cpu_usage"
        case exitCode = "exit_code", instanceType = "instance_type"
        case instanceLaunch = "instance_launch", instanceTerminate = "instance_terminate"
        case market, attempts
    }

    /// The instance-seconds the dataset cost: where the job launched its instance, launch to
    /// terminate and at least `minimumBilledSeconds` (EC2 bills a Linux instance per second, with a
    /// minimum of one minute); else (a reused instance, or a record from before these fields)
    /// COMMAND's start to finish.
    public var billedSeconds: Double? {
        if let launch = instanceLaunch.flatMap(InstanceTags.parse) {
            return (instanceTerminate.flatMap(InstanceTags.parse) ?? jobFinish.flatMap(InstanceTags.parse))
                .map { max(Self.minimumBilledSeconds, $0.timeIntervalSince(launch)) }
        }
        guard let start = jobStart.flatMap(InstanceTags.parse), let finish = jobFinish.flatMap(InstanceTags.parse) else { return nil }
        return finish.timeIntervalSince(start)
    }

    /// Every attempt's billed instance-seconds, earlier attempts first: what the dataset cost.
    public var billedRuns: [BilledRun] {
        var runs = (attempts ?? []).compactMap { attempt in
            attempt.billedSeconds.map { BilledRun(instanceType: attempt.instanceType ?? instanceType, market: attempt.market ?? .onDemand, seconds: $0) }
        }
        if let seconds = billedSeconds { runs.append(BilledRun(instanceType: instanceType, market: market ?? .onDemand, seconds: seconds)) }
        return runs
    }

    public init(status: State, input: String, instance: String = "", command: String = "", instanceType: String? = nil) {
        self.status = status
        self.reason = []
        self.stdout = ""
        self.stderr = ""
        self.input = input
        self.instance = instance
        self.command = command
        self.instanceType = instanceType
    }

    /// The file's bytes (pretty, keys sorted, so a reader's diff is stable).
    public var json: Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)) ?? Data()
    }

    public static func parse(_ data: Data) throws -> DatasetStatus {
        try JSONDecoder().decode(DatasetStatus.self, from: data)
    }
}

/// The last part of a stream, kept in bounded memory while it is written.
public struct StreamTail: Sendable {
    public let limit: Int
    private var bytes = Data()
    /// All the bytes seen, kept or not.
    public private(set) var total = 0

    public init(limit: Int = 4096) { self.limit = limit }

    public mutating func append(_ chunk: Data) {
        total += chunk.count
        bytes.append(chunk)
        if bytes.count > limit * 2 { bytes = bytes.suffix(limit) }
    }

    /// The tail as text: at most `limit` bytes, starting at a line when it was cut.
    public var text: String {
        var kept = bytes.suffix(limit)
        if kept.count < bytes.count || total > bytes.count, let newline = kept.firstIndex(of: 0x0A), newline < kept.endIndex - 1 {
            kept = kept[(newline + 1)...]
        }
        return String(decoding: kept, as: UTF8.self)
    }
}
