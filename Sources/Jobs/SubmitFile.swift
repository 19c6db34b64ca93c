import Foundation

/// A NeuroCAAS submit file (`<group>/submissions/<x>submit.json`): which datasets to analyse with
/// which config, and the timestamp that names the job's result folder.
///
/// ```json
/// {"dataname": "neurolab/inputs/a.csv" | ["neurolab/inputs/a.csv", ...],
///  "configname": "neurolab/configs/config.json", "timestamp": "20261201-120000",
///  "instance_type": "t3.small"}
/// ```
/// Keys are keys in the analysis's bucket, without the bucket name. Other fields are ignored, as
/// NeuroCAAS does.
public struct SubmitFile: Sendable, Equatable {
    /// The most datasets one submission may name: each runs on its own instance, and every key is
    /// checked before anything is launched.
    public static let maximumDatasets = 1000

    /// The dataset keys, in the order given ("dataname" as a string is a list of one).
    public var datanames: [String]
    /// The config key.
    public var configname: String
    /// The job's timestamp: the result folder is `results/job__<analysis>_<timestamp>`.
    public var timestamp: String
    /// An instance type overriding the blueprint's INSTANCE_TYPE, if given.
    public var instanceType: String?

    public init(datanames: [String], configname: String, timestamp: String, instanceType: String? = nil) {
        self.datanames = datanames
        self.configname = configname
        self.timestamp = timestamp
        self.instanceType = instanceType
    }

    /// The group every key is in (`<group>/inputs/...`, `<group>/configs/...`), when they all share
    /// one: what `test-job` runs as when the blueprint has several affiliates and no `--group` is given.
    public var sharedGroup: String? {
        let groups = Set((datanames + [configname]).map { $0.split(separator: "/", maxSplits: 1).first.map(String.init) ?? "" })
        guard groups.count == 1, let group = groups.first, !group.isEmpty else { return nil }
        return group
    }

    /// The file's JSON form, as uploaded to `submissions/`.
    public var json: Data {
        var object: [String: Any] = ["dataname": datanames.count == 1 ? datanames[0] as Any : datanames as Any,
                                     "configname": configname, "timestamp": timestamp]
        if let instanceType { object["instance_type"] = instanceType }
        return (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])) ?? Data()
    }

    /// Reads and checks a submit file; `source` names it in messages. Every problem is one sentence
    /// naming the field.
    public static func parse(_ data: Data, source: String) throws -> SubmitFile {
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw JobError(.badInput, "INPUT ERROR: \(source) is not JSON; write an object with the fields \"dataname\", \"configname\" and \"timestamp\".")
        }
        guard let object = parsed as? [String: Any] else {
            throw JobError(.badInput, "INPUT ERROR: \(source) must be a JSON object with the fields \"dataname\", \"configname\" and \"timestamp\".")
        }
        func missing(_ field: String, _ hint: String) -> JobError {
            JobError(.badInput, "INPUT ERROR: \(source) does not contain the field \"\(field)\", needed to analyze data: \(hint).")
        }
        let keyHint = "a key in the bucket, without the bucket name"
        guard let dataField = object["dataname"] else {
            throw missing("dataname", "give the dataset as \(keyHint) (e.g. \"neurolab/inputs/data.csv\"), or a list of them")
        }
        let datanames: [String]
        if let one = dataField as? String {
            datanames = [one]
        } else if let list = dataField as? [Any], list.allSatisfy({ $0 is String }) {
            datanames = list as! [String]
            guard !datanames.isEmpty else {
                throw JobError(.badInput, "INPUT ERROR: \"dataname\" in \(source) is an empty list; give at least one dataset as \(keyHint).")
            }
            guard datanames.count <= Self.maximumDatasets else {
                throw JobError(.badInput, "INPUT ERROR: \"dataname\" in \(source) names \(datanames.count) datasets; a submission may name at most \(Self.maximumDatasets) (each runs on its own instance), so split it into several submit files.")
            }
        } else {
            throw JobError(.badInput, "INPUT ERROR: \"dataname\" in \(source) must be a string or a list of strings, each \(keyHint).")
        }
        guard let configField = object["configname"] else {
            throw missing("configname", "give the config as \(keyHint) (e.g. \"neurolab/configs/config.yaml\")")
        }
        guard let configname = configField as? String else {
            throw JobError(.badInput, "INPUT ERROR: \"configname\" in \(source) must be a string: the config's key in the bucket, without the bucket name.")
        }
        guard let timestampField = object["timestamp"] else {
            throw missing("timestamp", "give a string that names this job, e.g. \"\(Self.timestamp(Date()))\"")
        }
        guard let timestamp = timestampField as? String else {
            throw JobError(.badInput, "INPUT ERROR: \"timestamp\" in \(source) must be a string, e.g. \"\(Self.timestamp(Date()))\".")
        }
        guard !timestamp.isEmpty, timestamp.utf8.count <= 100, !timestamp.contains("/"),
              timestamp.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) else {
            throw JobError(.badInput, "INPUT ERROR: \"timestamp\" in \(source) must be 1 to 100 printable characters without \"/\" (it names the result folder).")
        }
        var instanceType: String?
        if let field = object["instance_type"] {
            guard let text = field as? String, text.range(of: #"^[a-z][a-z0-9-]*\.[a-z0-9]+$"#, options: .regularExpression) != nil else {
                throw JobError(.badInput, "INPUT ERROR: \"instance_type\" in \(source) must be an EC2 instance type such as \"t3.small\".")
            }
            instanceType = text
        }
        for (field, key) in datanames.map({ ("dataname", $0) }) + [("configname", configname)] {
            guard !key.isEmpty, !key.hasPrefix("/"), !key.hasSuffix("/"), ![".", ".."].contains(JobLayout.basename(key)) else {
                throw JobError(.badInput, "INPUT ERROR: \"\(field)\" \"\(key)\" in \(source) is not an object key: give \(keyHint), not a folder.")
            }
            if key.split(separator: "/", omittingEmptySubsequences: false).contains(where: { $0 == "." || $0 == ".." }) {
                throw JobError(.badInput, "INPUT ERROR: \"\(field)\" \"\(key)\" in \(source) has a \".\" or \"..\" segment; S3 keys are names, not paths, so write the key exactly as it is stored, without \".\" or \"..\".")
            }
            if key.hasPrefix("s3://") {
                let withoutBucket = key.dropFirst(5).split(separator: "/", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
                throw JobError(.badInput, "INPUT ERROR: \"\(field)\" \"\(key)\" in \(source) is a URL; give the key without the bucket name: \"\(withoutBucket)\".")
            }
        }
        let basenames = datanames.map(JobLayout.basename)
        if let repeated = basenames.first(where: { name in basenames.filter { $0 == name }.count > 1 }) {
            throw JobError(.badInput, "INPUT ERROR: two datasets in \"dataname\" in \(source) share the file name \"\(repeated)\"; their status files would collide, so give each dataset its own name.")
        }
        return SubmitFile(datanames: datanames, configname: configname, timestamp: timestamp, instanceType: instanceType)
    }

    /// A timestamp in NeuroCAAS's style for a new job (`2026-12-01T22-05-03Z`, UTC).
    public static func timestamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: date)
    }
}
