import AWS
import DevAMI
import Foundation
import Prices

/// The checks before a job launches anything: capacity (DEPLOY_LIMIT: live job instances of the
/// analysis plus this job's) and budget (MAXCOST: the group's past spend from its status files,
/// plus this job's worst case at the price of the market it launches in: on spot, EC2's current spot
/// price; see `JobCost` and `SpotPriceLookup`). Each refusal is one sentence.
public struct JobLimits {
    public var settings: JobSettings
    public var ec2: EC2Client
    public var s3: S3Client

    public init(settings: JobSettings, ec2: EC2Client, s3: S3Client) {
        self.settings = settings
        self.ec2 = ec2
        self.s3 = s3
    }

    /// Throws a `.refused` JobError when `count` more instances would pass DEPLOY_LIMIT.
    public func checkCapacity(count: Int) throws {
        let live = try ec2.describeInstances(filters: JobTags.liveFilters(analysis: settings.analysis)).count
        guard live + count <= settings.deployLimit else {
            throw JobError(.refused, "Over capacity: \(settings.analysis) has \(live) job instance\(live == 1 ? "" : "s") running and this job needs \(count), but DEPLOY_LIMIT is \(settings.deployLimit); wait for running jobs to end or raise DEPLOY_LIMIT.")
        }
    }

    /// Throws a `.refused` JobError when the group's past spend plus this job's worst case passes
    /// MAXCOST. On spot the worst case is counted at EC2's current spot price where EC2 tells it.
    public func checkBudget(layout: JobLayout, count: Int, instanceType: String, timeoutSeconds: Int, market: InstanceMarket = .onDemand) throws {
        let past = try pastSpend(layout: layout)
        let spot = market == .spot ? SpotPriceLookup(ec2: ec2).hourly(instanceType) : nil
        let hourly = spot?.hourly ?? JobCost.price(instanceType)
        let worst = Double(count) * hourly * Double(timeoutSeconds) / 3600
        guard past + worst <= settings.maxCost else {
            let price = spot.map { "\(Dollars.rate($0.hourly))/h on spot (\($0.source))" } ?? "\(JobCost.dollars(hourly))/h"
            throw JobError(.refused, "Over budget: the group \(layout.group) has spent \(JobCost.dollars(past)) and this job could cost up to \(JobCost.dollars(worst)) (\(count) × \(instanceType) at \(price) for \(DatasetRun.minutes(timeoutSeconds))), more than MAXCOST \(JobCost.dollars(settings.maxCost)).")
        }
    }

    /// Dollars the group's earlier jobs used: each ended job's `JobSpend` file, else (a job still
    /// running, or one whose manager was killed) its status files' instance-hours (launch to
    /// terminate, see `DatasetStatus.billedSeconds`) at their instance types' prices.
    public func pastSpend(layout: JobLayout) throws -> Double {
        let listing = try s3.listObjectsV2(bucket: layout.bucket, prefix: "\(layout.group)/results/")
        var statusKeys: [String: [String]] = [:]
        var spendKeys: [String: String] = [:]
        for object in listing.objects where !object.key.hasPrefix(layout.resultPrefix + "/") {
            guard let logs = object.key.range(of: "/logs/") else { continue }
            let job = String(object.key[..<logs.lowerBound])
            if object.key.hasSuffix("/logs/ncaas-spend.json") { spendKeys[job] = object.key }
            else if object.key.hasSuffix("_STATUS.txt") { statusKeys[job, default: []].append(object.key) }
        }
        var total = 0.0
        for job in Set(statusKeys.keys).union(spendKeys.keys) {
            if let key = spendKeys[job], let data = try? s3.getObject(bucket: layout.bucket, key: key), let spend = JobSpend.parse(data) {
                total += spend.dollars
                continue
            }
            let statuses = (statusKeys[job] ?? []).compactMap { key in (try? s3.getObject(bucket: layout.bucket, key: key)).flatMap { try? DatasetStatus.parse($0) } }
            total += JobSpend(statuses: statuses, defaultType: settings.instanceType).dollars
        }
        return total
    }
}
