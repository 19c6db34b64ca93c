import Foundation

/// What an ended job cost, written beside its certificate (`logs/ncaas-spend.json`) when the job
/// manager finishes it: the sum of its datasets' billed attempts (`DatasetStatus.billedRuns`, an
/// interrupted attempt included) at their types' prices in their markets. A budget check then reads one small file per past job instead of every status file;
/// a job without it (still running, or ended by a manager that was killed) is counted from its
/// status files.
public struct JobSpend: Codable, Sendable, Equatable {
    public var dollars: Double
    public var instanceSeconds: Double

    enum CodingKeys: String, CodingKey {
        case dollars
        case instanceSeconds = "instance_seconds"
    }

    public init(dollars: Double, instanceSeconds: Double) {
        self.dollars = dollars
        self.instanceSeconds = instanceSeconds
    }

    /// The spend recorded by `statuses`; a dataset without an instance type is priced as `defaultType`.
    public init(statuses: [DatasetStatus], defaultType: String) {
        var dollars = 0.0
        var seconds = 0.0
        for run in statuses.flatMap(\.billedRuns) {
            dollars += JobCost.cost(run.instanceType ?? defaultType, market: run.market, seconds: run.seconds)
            seconds += max(0, run.seconds)
        }
        self.init(dollars: dollars, instanceSeconds: seconds)
    }

    public var json: Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(self)) ?? Data()
    }

    public static func parse(_ data: Data) -> JobSpend? { try? JSONDecoder().decode(JobSpend.self, from: data) }
}
