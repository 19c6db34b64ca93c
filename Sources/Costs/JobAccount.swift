import AWS
import DevAMI
import Foundation
import Jobs
import Prices

/// What an analysis's jobs ran, read back from its bucket alone (the status files, as `ncaas jobs`
/// reads them): per group and job, the instance-hours of every attempt by instance type and market,
/// from each instance's launch to its termination (a minute at the least, as EC2 bills Linux).
public struct JobAccount: Sendable {
    /// Instance-hours of one type in one market within one job.
    public struct Usage: Sendable, Equatable {
        public var instanceType: String
        public var market: InstanceMarket
        /// Instances (attempts) counted.
        public var instances: Int
        public var seconds: Double
        public var hours: Double { seconds / 3600 }
    }

    /// One job's usage.
    public struct Job: Sendable, Equatable {
        public var group: String
        public var name: String
        /// When its first instance was launched (else COMMAND first started), ISO 8601.
        public var started: String?
        public var datasets: Int
        public var usage: [Usage]
    }

    public var analysis: String
    public var bucket: String
    public var jobs: [Job]

    /// Reads the jobs of `analysis` in `bucket`: of `group`, or of every group; with `since`, only
    /// jobs started then or later.
    public static func read(s3: S3Client, bucket: String, analysis: String, group: String?, since: Date?, defaultType: String) throws -> JobAccount {
        let history = JobHistory(s3: s3, bucket: bucket, analysis: analysis)
        let groups = try group.map { [$0] } ?? s3.listObjectsV2(bucket: bucket, delimiter: "/").commonPrefixes.map { String($0.dropLast()) }
        var jobs: [Job] = []
        for group in groups.sorted() {
            for record in try history.jobs(group: group) {
                let job = account(record, defaultType: defaultType)
                if let since, let started = job.started.flatMap(InstanceTags.parse), started < since { continue }
                if since != nil, job.started == nil { continue }
                jobs.append(job)
            }
        }
        return JobAccount(analysis: analysis, bucket: bucket, jobs: jobs)
    }

    /// The usage `record`'s status files show.
    static func account(_ record: JobRecord, defaultType: String) -> Job {
        var usage: [String: Usage] = [:]
        var launches: [String] = []
        for status in record.datasets {
            launches += ((status.attempts ?? []).compactMap(\.instanceLaunch) + [status.instanceLaunch].compactMap { $0 })
            for run in status.billedRuns {
                let type = run.instanceType ?? defaultType
                let key = "\(type) \(run.market.rawValue)"
                var entry = usage[key] ?? Usage(instanceType: type, market: run.market, instances: 0, seconds: 0)
                entry.instances += 1
                entry.seconds += run.seconds
                usage[key] = entry
            }
        }
        let started = launches.compactMap { text in InstanceTags.parse(text).map { (text, $0) } }.min { $0.1 < $1.1 }?.0 ?? record.started
        return Job(group: record.layout.group, name: record.layout.jobName, started: started, datasets: record.datasets.count,
                   usage: usage.values.sorted { ($0.instanceType, $0.market.rawValue) < ($1.instanceType, $1.market.rawValue) })
    }
}
