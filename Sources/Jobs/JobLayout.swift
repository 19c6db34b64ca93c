/// Where a job's files live in the analysis's bucket (NeuroCAAS's layout):
///
/// ```
/// <group>/submissions/<x>submit.json
/// <group>/results/job__<analysis>_<timestamp>/logs/certificate.txt
/// <group>/results/job__<analysis>_<timestamp>/logs/DATASET_NAME:<basename>_STATUS.txt
/// <group>/results/job__<analysis>_<timestamp>/process_results/...
/// ```
public struct JobLayout: Sendable, Equatable {
    public var bucket: String
    public var analysis: String
    public var group: String
    public var timestamp: String

    public init(bucket: String, analysis: String, group: String, timestamp: String) {
        self.bucket = bucket
        self.analysis = analysis
        self.group = group
        self.timestamp = timestamp
    }

    /// `job__<analysis>_<timestamp>`: the job's name and id.
    public var jobName: String { "job__\(analysis)_\(timestamp)" }
    /// `<group>/results/job__<analysis>_<timestamp>`: the COMMAND's third parameter (no trailing slash).
    public var resultPrefix: String { "\(group)/results/\(jobName)" }
    public var logsPrefix: String { resultPrefix + "/logs/" }
    public var certificateKey: String { logsPrefix + "certificate.txt" }
    /// What the ended job cost (`JobSpend`), so a budget check reads one file per past job.
    public var spendKey: String { logsPrefix + "ncaas-spend.json" }
    /// Where the analysis's output folder, the config and `end.txt` are copied.
    public var processResultsPrefix: String { resultPrefix + "/process_results/" }
    public var endKey: String { processResultsPrefix + "end.txt" }

    /// `<group>/submissions/<name>`, the submit file's key.
    public func submissionKey(_ name: String) -> String { "\(group)/submissions/\(name)" }

    /// The status file of the dataset `key`: `logs/DATASET_NAME:<basename>_STATUS.txt`.
    public func statusKey(dataset key: String) -> String { logsPrefix + "DATASET_NAME:\(Self.basename(key))_STATUS.txt" }

    /// The last path component of a key.
    public static func basename(_ key: String) -> String {
        key.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? key
    }
}
