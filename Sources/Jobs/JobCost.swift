import Foundation

/// What an instance costs, for MAXCOST: on-demand Linux prices in us-east-1 (dollars per hour,
/// as published by AWS in 2024) for common types. A type not in the table is priced at
/// `unknownHourly`, which is on the high side on purpose: a budget check should not under-count.
/// The cost of a dataset is its instance-hours times its price; past jobs count what their status
/// files record (`instance_launch` to `instance_terminate`), this job its worst case (every dataset
/// running to its time limit).
public enum JobCost {
    public static let hourly: [String: Double] = [
        "t2.micro": 0.0116, "t2.small": 0.023, "t2.medium": 0.0464, "t2.large": 0.0928,
        "t3.nano": 0.0052, "t3.micro": 0.0104, "t3.small": 0.0208, "t3.medium": 0.0416, "t3.large": 0.0832, "t3.xlarge": 0.1664,
        "m5.large": 0.096, "m5.xlarge": 0.192, "m5.2xlarge": 0.384, "m5.4xlarge": 0.768,
        "c5.large": 0.085, "c5.xlarge": 0.17, "c5.2xlarge": 0.34, "c5.4xlarge": 0.68,
        "r5.large": 0.126, "r5.xlarge": 0.252,
        "p2.xlarge": 0.9, "p3.2xlarge": 3.06, "g4dn.xlarge": 0.526, "g4dn.2xlarge": 0.752,
    ]
    public static let unknownHourly = 4.0

    /// Dollars per hour of `instanceType`.
    public static func price(_ instanceType: String) -> Double { hourly[instanceType] ?? unknownHourly }

    /// Dollars for `seconds` of `instanceType`.
    public static func cost(_ instanceType: String, seconds: Double) -> Double { price(instanceType) * max(0, seconds) / 3600 }

    /// Dollars as text: `$1.23`.
    public static func dollars(_ amount: Double) -> String { String(format: "$%.2f", amount) }
}
