import AWS
import DevAMI
import Foundation

/// One earlier attempt of a dataset, kept in its status file's `attempts` when the dataset was run
/// again (its spot instance was interrupted): what ran where, in which market, how it ended and why,
/// and when its instance lived (what it cost).
public struct DatasetAttempt: Codable, Sendable, Equatable {
    public var status: DatasetStatus.State
    public var reason: [String]
    public var instance: String
    public var instanceType: String?
    public var market: InstanceMarket?
    public var instanceLaunch: String?
    public var instanceTerminate: String?
    public var jobStart: String?
    public var jobFinish: String?
    public var exitCode: Int?

    enum CodingKeys: String, CodingKey {
        case status, reason, instance, market
        case instanceType = "instance_type", instanceLaunch = "instance_launch", instanceTerminate = "instance_terminate"
        case jobStart = "job_start", jobFinish = "job_finish", exitCode = "exit_code"
    }

    /// The attempt as `status` recorded it.
    public init(_ status: DatasetStatus) {
        self.status = status.status
        reason = status.reason
        instance = status.instance
        instanceType = status.instanceType
        market = status.market
        instanceLaunch = status.instanceLaunch
        instanceTerminate = status.instanceTerminate
        jobStart = status.jobStart
        jobFinish = status.jobFinish
        exitCode = status.exitCode
    }

    /// Its instance from launch to terminate, a minute at the least (nil without both times).
    public var billedSeconds: Double? {
        guard let launch = instanceLaunch.flatMap(InstanceTags.parse),
              let end = (instanceTerminate ?? jobFinish).flatMap(InstanceTags.parse) else { return nil }
        return max(DatasetStatus.minimumBilledSeconds, end.timeIntervalSince(launch))
    }
}

/// Instance-seconds of one type in one market (one attempt of a dataset).
public struct BilledRun: Sendable, Equatable {
    public var instanceType: String?
    public var market: InstanceMarket
    public var seconds: Double
}
