import AWS
import DevAMI
import Foundation
import Jobs
import Prices

/// `ncaas cost`: per analysis, what its jobs ran (per group and job, instance-hours by type and
/// market at their prices), what its images' snapshots have stored (GB-months) and its bucket holds;
/// and what still bills now. A price the table lacks makes that part unknown, with a sentence,
/// never zero.
public struct CostReport: Sendable {
    /// A usage line with its price.
    public struct PricedUsage: Sendable {
        public var usage: JobAccount.Usage
        public var hourly: Double?
        public var dollars: Double? { hourly.map { $0 * usage.hours } }
    }

    /// A job with its usage priced.
    public struct PricedJob: Sendable {
        public var job: JobAccount.Job
        public var usage: [PricedUsage]
        /// The known part.
        public var dollars: Double { usage.compactMap(\.dollars).reduce(0, +) }
        public var hasUnknown: Bool { usage.contains { $0.hourly == nil } }
        public var hours: Double { usage.map(\.usage.hours).reduce(0, +) }
    }

    /// One analysis: its jobs, its stored data.
    public struct Analysis: Sendable {
        public var analysis: String
        public var bucket: String
        public var jobs: [PricedJob]
        public var images: [StoredData.ImageEntry]
        public var snapshots: [StoredData.SnapshotEntry]
        /// GB-months its snapshots have been stored (since the report's start, or since each was made).
        public var snapshotGBMonths: Double
        /// The bytes in its bucket now (nil when the bucket could not be read), and why a read failed.
        public var bucketBytes: Int64?
        public var bucketObjects: Int
        public var bucketProblem: String?

        public var jobsDollars: Double { jobs.map(\.dollars).reduce(0, +) }
        public var jobsHaveUnknown: Bool { jobs.contains(where: \.hasUnknown) }
        public var hours: Double { jobs.map(\.hours).reduce(0, +) }

        /// Each group's known dollars, and whether some part of it is unknown.
        public var groups: [(group: String, dollars: Double, unknown: Bool)] {
            Dictionary(grouping: jobs, by: \.job.group).sorted { $0.key < $1.key }
                .map { ($0.key, $0.value.map(\.dollars).reduce(0, +), $0.value.contains(where: \.hasUnknown)) }
        }
    }

    /// What to account: an analysis, its bucket, and the instance type its jobs default to.
    public struct Target: Sendable {
        public var analysis: String
        public var bucket: String
        public var instanceType: String

        public init(analysis: String, bucket: String, instanceType: String) {
            self.analysis = analysis
            self.bucket = bucket
            self.instanceType = instanceType
        }
    }

    public var prices: PriceTable
    /// Where the prices came from beyond the table (the Price List API), or why not.
    public var priceNotes: [String]
    public var since: Date?
    public var analyses: [Analysis]
    public var stillBilling: StillBilling

    /// Every sentence about an unknown price, once each.
    public var unknown: [String] {
        var sentences: [String] = []
        for analysis in analyses {
            for job in analysis.jobs {
                for line in job.usage where line.hourly == nil {
                    sentences.append(PriceSentences.missing(line.usage.instanceType, line.usage.market, table: prices))
                }
            }
        }
        sentences += stillBilling.items.compactMap(\.unknown)
        var seen = Set<String>()
        return sentences.filter { seen.insert($0).inserted }
    }

    /// Reads everything: the targets' jobs (of `group`, started since `since`), the images and
    /// snapshots ncaas made (of `analysis`, or all of them), the buckets, and what still bills; then
    /// prices it at `prices`, or at what `refine` makes of them for the instance types found (the
    /// Price List API's on-demand prices), with notes on where they came from.
    public static func make(targets: [Target], analysis: String?, group: String?, since: Date?, prices: PriceTable, priceNotes: [String] = [],
                            refine: ((_ instanceTypes: Set<String>) -> (PriceTable, [String]))? = nil,
                            ec2: EC2Client, s3: S3Client, now: Date = Date()) throws -> CostReport {
        let stored = try StoredData.images(ec2: ec2, analysis: analysis)
        let instances = try StillBilling.instances(ec2: ec2, analysis: analysis)
        var read: [(target: Target, account: JobAccount, bytes: Int64?, objects: Int, problem: String?)] = []
        for target in targets {
            var problem: String?
            var account = JobAccount(analysis: target.analysis, bucket: target.bucket, jobs: [])
            do {
                account = try JobAccount.read(s3: s3, bucket: target.bucket, analysis: target.analysis, group: group, since: since,
                                              defaultType: target.instanceType)
            } catch {
                problem = "\(error)"
            }
            var bytes: Int64?
            var objects = 0
            do {
                let stored = try StoredData.bucketBytes(s3: s3, bucket: target.bucket, prefix: group.map { "\($0)/" })
                bytes = stored.bytes
                objects = stored.objects
            } catch {
                problem = problem ?? "\(error)"
            }
            read.append((target, account, bytes, objects, problem))
        }
        var table = prices
        var notes = priceNotes
        if let refine {
            let types = Set(read.flatMap { $0.account.jobs.flatMap { $0.usage.map(\.instanceType) } } + instances.map(\.instanceType))
            let refined = refine(types.filter { !$0.isEmpty })
            table = refined.0
            notes += refined.1
        }
        let analyses = read.map { entry -> Analysis in
            let jobs = entry.account.jobs.map { job in
                PricedJob(job: job, usage: job.usage.map { PricedUsage(usage: $0, hourly: table.hourly($0.instanceType, $0.market)) })
            }
            let snapshots = stored.snapshots.filter { $0.analysis == entry.target.analysis }
            let gbMonths = snapshots.map { snapshot -> Double in
                let from = max(snapshot.created ?? now, since ?? .distantPast)
                return Double(snapshot.gigabytes) * max(0, now.timeIntervalSince(from)) / 3600 / PriceTable.hoursPerMonth
            }.reduce(0, +)
            return Analysis(analysis: entry.target.analysis, bucket: entry.target.bucket, jobs: jobs,
                            images: stored.images.filter { $0.analysis == entry.target.analysis }, snapshots: snapshots,
                            snapshotGBMonths: gbMonths, bucketBytes: entry.bytes, bucketObjects: entry.objects, bucketProblem: entry.problem)
        }
        return CostReport(prices: table, priceNotes: notes, since: since, analyses: analyses,
                          stillBilling: StillBilling.make(instances: instances, prices: table, stored: stored))
    }

    /// Dollars an analysis's snapshots have cost since the report's start (nil when the table has no price).
    public func snapshotDollars(_ analysis: Analysis) -> Double? {
        prices.snapshotGBMonth.map { $0 * analysis.snapshotGBMonths }
    }

    /// Dollars a month the analysis's bucket costs at its size now (nil when unknown).
    public func bucketMonthly(_ analysis: Analysis) -> Double? {
        guard let bytes = analysis.bucketBytes, let price = prices.s3GBMonth else { return nil }
        return Double(bytes) / 1_000_000_000 * price
    }
}
