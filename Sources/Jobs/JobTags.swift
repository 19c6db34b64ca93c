import AWS
import DevAMI

/// The tags on a job's instances besides ncaas's standard ones (analysis, role `job`, owner,
/// expiry): the group, the job (`job__<analysis>_<timestamp>`) and the dataset key.
public enum JobTags {
    public static let group = "ncaas:group"
    public static let job = "ncaas:job"
    public static let dataset = "ncaas:dataset"
    /// The bucket the job's files are in (`ncaas.bucket`, else the analysis name).
    public static let bucket = "ncaas:bucket"

    /// EC2 allows 256 characters in a tag value: a longer one keeps its end (the file name).
    static func value(_ text: String) -> String { text.count <= 256 ? text : String(text.suffix(256)) }

    /// The tags every instance of the job gets at launch.
    public static func shared(_ layout: JobLayout) -> [Tag] {
        [Tag(key: group, value: value(layout.group)), Tag(key: job, value: value(layout.jobName)), Tag(key: bucket, value: layout.bucket)]
    }

    /// Filters for the live job instances of `analysis`.
    public static func liveFilters(analysis: String) -> [EC2Filter] {
        InstanceTags.liveFilters(analysis: analysis, role: .job)
    }
}
