import AWS
import Costs
import DevAMI
import Foundation
import LosslessJSON
import Prices

/// How `ncaas cost` prints its report, for people and for scripts (where every amount is a number
/// of dollars with six decimals and an unknown price is `null`, never zero).
public enum CostReports {
    /// The report for people: prices, then per analysis its jobs, images and bucket, the total, what
    /// still bills, and the sentences about unknown prices.
    public static func text(_ report: CostReport) -> String {
        let prices = report.prices
        var lines = ["prices: \(prices.origin), \(prices.date) (\(prices.region), \(prices.currency))"]
        lines += report.priceNotes.map { "  \($0)" }
        if let since = report.since { lines.append("since: \(InstanceTags.format(since)) (jobs started then or later; storage counted from then)") }
        var total = 0.0
        var totalUnknown = false
        for analysis in report.analyses {
            lines.append("")
            lines.append("\(analysis.analysis) (bucket \(analysis.bucket))")
            if let problem = analysis.bucketProblem { lines.append("  the bucket could not be read: \(problem)") }
            if analysis.jobs.isEmpty { lines.append("  no jobs\(report.since == nil ? "" : " since then")") }
            for job in analysis.jobs {
                lines.append("  \(job.job.group) / \(job.job.name) (\(job.job.datasets) dataset\(job.job.datasets == 1 ? "" : "s")\(job.job.started.map { ", started \($0)" } ?? ""))")
                for line in job.usage {
                    let usage = line.usage
                    let what = "\(usage.instanceType) \(usage.market.rawValue)".padding(toLength: 22, withPad: " ", startingAt: 0)
                    let count = "\(usage.instances) instance\(usage.instances == 1 ? "" : "s")".padding(toLength: 13, withPad: " ", startingAt: 0)
                    let price = line.hourly.map { "× \(Dollars.rate($0))/h = \(Dollars.rate(line.dollars ?? 0))" } ?? "× unknown price = unknown"
                    lines.append("    \(what) \(count) \(String(format: "%.4f", usage.hours)) h \(price)")
                }
                lines.append("    job: \(amount(job.dollars, unknown: job.hasUnknown))")
            }
            for group in analysis.groups {
                lines.append("  group \(group.group): \(amount(group.dollars, unknown: group.unknown))")
            }
            lines.append("  jobs: \(amount(analysis.jobsDollars, unknown: analysis.jobsHaveUnknown)) for \(String(format: "%.4f", analysis.hours)) instance-hours")
            let snapshotDollars = report.snapshotDollars(analysis)
            let gigabytes = analysis.snapshots.map(\.gigabytes).reduce(0, +)
            if analysis.images.isEmpty && analysis.snapshots.isEmpty {
                lines.append("  images: none")
            } else {
                lines.append("  images: \(analysis.images.count), with \(analysis.snapshots.count) snapshot\(analysis.snapshots.count == 1 ? "" : "s") of \(gigabytes) GB; "
                             + "\(String(format: "%.4f", analysis.snapshotGBMonths)) GB-months stored: \(snapshotDollars.map(Dollars.rate) ?? "unknown")")
            }
            if let bytes = analysis.bucketBytes {
                lines.append("  bucket: \(byteText(bytes)) in \(analysis.bucketObjects) object\(analysis.bucketObjects == 1 ? "" : "s"): \(report.bucketMonthly(analysis).map { "\(Dollars.rate($0)) a month" } ?? "unknown a month")")
            }
            total += analysis.jobsDollars + (snapshotDollars ?? 0)
            totalUnknown = totalUnknown || analysis.jobsHaveUnknown || (snapshotDollars == nil && gigabytes > 0)
        }
        if !report.analyses.isEmpty {
            lines.append("")
            lines.append("total: \(amount(total, unknown: totalUnknown)) (jobs and snapshot storage)")
        }
        lines.append("")
        lines += stillBillingText(report.stillBilling)
        let unknown = report.unknown
        if !unknown.isEmpty {
            lines.append("")
            lines.append("unknown prices:")
            lines += unknown.map { "  \($0)" }
        }
        return lines.joined(separator: "\n")
    }

    static func stillBillingText(_ billing: StillBilling) -> [String] {
        guard !billing.items.isEmpty else { return ["still billing: nothing (no instance, image or snapshot ncaas made bills now)"] }
        var lines = ["still billing:"]
        for item in billing.items {
            let rate = item.hourly.map { "\(Dollars.rate($0))/h (\(Dollars.text($0 * PriceTable.hoursPerMonth)) a month)" }
                ?? item.monthly.map { "\(Dollars.rate($0))/month" } ?? "unknown rate"
            lines.append("  \(item.kind.rawValue) \(item.id)\(item.analysis.isEmpty ? "" : " (\(item.analysis))"): \(item.detail): \(rate); end it: \(item.end)")
        }
        lines.append("  total: \(Dollars.rate(billing.hourly))/h and \(Dollars.rate(billing.monthly))/month\(billing.items.contains { $0.unknown != nil } ? " + unknown" : "")")
        return lines
    }

    /// The report for scripts (`--output json`).
    public static func json(_ report: CostReport) -> JSONValue {
        let prices = report.prices
        let priceMembers: [(key: String, value: JSONValue)] = [
            ("origin", .string(prices.origin)), ("date", .string(prices.date)), ("region", .string(prices.region)),
            ("currency", .string(prices.currency)), ("notes", .array(report.priceNotes.map(JSONValue.string))),
        ]
        let billing = report.stillBilling
        let billingMembers: [(key: String, value: JSONValue)] = [
            ("items", .array(billing.items.map(itemJSON))),
            ("hourly", number(billing.hourly)),
            ("monthly", number(billing.monthly)),
        ]
        return .object([
            ("prices", .object(priceMembers)),
            ("since", report.since.map { .string(InstanceTags.format($0)) } ?? .null),
            ("analyses", .array(report.analyses.map { analysisJSON($0, report: report) })),
            ("stillBilling", .object(billingMembers)),
            ("unknown", .array(report.unknown.map(JSONValue.string))),
        ])
    }

    static func analysisJSON(_ analysis: CostReport.Analysis, report: CostReport) -> JSONValue {
        let groups: [JSONValue] = analysis.groups.map {
            .object([("group", .string($0.group)), ("dollars", number($0.dollars)), ("unknown", .bool($0.unknown))])
        }
        let images: [JSONValue] = analysis.images.map {
            .object([("imageId", .string($0.imageId)), ("name", .string($0.name)),
                     ("snapshots", .array($0.snapshots.map(JSONValue.string))), ("gigabytes", .number(String($0.gigabytes)))])
        }
        let snapshots: [JSONValue] = analysis.snapshots.map {
            .object([("snapshotId", .string($0.snapshotId)), ("gigabytes", .number(String($0.gigabytes))),
                     ("imageId", $0.imageId.map(JSONValue.string) ?? .null)])
        }
        var members: [(key: String, value: JSONValue)] = [
            ("analysis", .string(analysis.analysis)),
            ("bucket", .string(analysis.bucket)),
            ("jobs", .array(analysis.jobs.map(jobJSON))),
            ("groups", .array(groups)),
            ("jobsDollars", number(analysis.jobsDollars)),
            ("instanceHours", number(analysis.hours)),
            ("images", .array(images)),
            ("snapshots", .array(snapshots)),
            ("snapshotGBMonths", number(analysis.snapshotGBMonths)),
        ]
        members.append(("snapshotDollars", report.snapshotDollars(analysis).map(number) ?? .null))
        members.append(("bucketBytes", analysis.bucketBytes.map { .number(String($0)) } ?? .null))
        members.append(("bucketObjects", .number(String(analysis.bucketObjects))))
        members.append(("bucketMonthly", report.bucketMonthly(analysis).map(number) ?? .null))
        members.append(("problem", analysis.bucketProblem.map(JSONValue.string) ?? .null))
        return .object(members)
    }

    static func jobJSON(_ job: CostReport.PricedJob) -> JSONValue {
        let usage: [JSONValue] = job.usage.map { line in
            .object([("instanceType", .string(line.usage.instanceType)), ("market", .string(line.usage.market.rawValue)),
                     ("instances", .number(String(line.usage.instances))), ("instanceHours", number(line.usage.hours)),
                     ("hourly", line.hourly.map(number) ?? .null), ("dollars", line.dollars.map(number) ?? .null)])
        }
        return .object([
            ("group", .string(job.job.group)), ("job", .string(job.job.name)), ("started", job.job.started.map(JSONValue.string) ?? .null),
            ("datasets", .number(String(job.job.datasets))), ("usage", .array(usage)),
            ("dollars", number(job.dollars)), ("unknown", .bool(job.hasUnknown)),
        ])
    }

    static func itemJSON(_ item: StillBilling.Item) -> JSONValue {
        .object([("kind", .string(item.kind.rawValue)), ("id", .string(item.id)), ("analysis", .string(item.analysis)),
                 ("detail", .string(item.detail)), ("hourly", item.hourly.map(number) ?? .null), ("monthly", item.monthly.map(number) ?? .null),
                 ("monthlyAtHourlyRate", item.monthlyAtHourlyRate.map(number) ?? .null),
                 ("unknown", item.unknown.map(JSONValue.string) ?? .null), ("end", .string(item.end))])
    }

    /// A number of dollars (or hours) with six decimals.
    static func number(_ value: Double) -> JSONValue { .number(String(format: "%.6f", value)) }

    static func amount(_ dollars: Double, unknown: Bool) -> String {
        unknown ? "\(Dollars.rate(dollars)) + unknown" : Dollars.rate(dollars)
    }

    static func byteText(_ bytes: Int64) -> String {
        let value = Double(bytes)
        if value >= 1e9 { return String(format: "%.2f GB", value / 1e9) }
        if value >= 1e6 { return String(format: "%.1f MB", value / 1e6) }
        if value >= 1e3 { return String(format: "%.1f kB", value / 1e3) }
        return "\(bytes) bytes"
    }
}
