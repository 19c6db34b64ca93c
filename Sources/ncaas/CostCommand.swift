import ArgumentParser
import Foundation
import Frontend

/// `ncaas cost [<name>] [--group G] [--since DATE] [--prices FILE]`.
struct CostCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cost",
        abstract: "What an analysis's jobs cost, what its images and bucket store, and what ncaas made that still bills.",
        discussion: """
            Jobs are read from the bucket alone (their status files): per group and job, the instance-hours \
            of every attempt (each instance from launch to termination, a minute at the least) by instance \
            type and market, at their prices. Then the images ncaas made of the analysis and their \
            snapshots (GB-months stored), and the bytes in its bucket. "Still billing" lists what ncaas made \
            that bills now, by its tags: running dev instances, fleets, job managers, job and image-build \
            instances, images and snapshots (of every analysis when no name is given), each with its rate \
            and the command that ends it.

            Prices come from the table shipped with ncaas (its date is shown; us-east-1, Linux) or \
            --prices FILE (the same JSON shape: see docs/cost.md). An instance type the table lacks is \
            costed as unknown, with a sentence, never as zero. Without a name, every deployed analysis \
            in this project's blueprints/ is counted.

            Example: ncaas cost spike-stats --group neurolab --since 2026-01-01 --profile local
            """
    )

    @Argument(help: "The analysis (a blueprint name, folder or file); else every deployed analysis in blueprints/.")
    var target: String?

    @Option(help: "Only this group's (affiliate's) jobs and folder.")
    var group: String?

    @Option(help: ArgumentHelp("Only jobs started on or after this day (2026-01-31, UTC) or time (ISO 8601); storage is counted from then.", valueName: "date"))
    var since: String?

    @Option(help: ArgumentHelp("A price table (JSON) to use instead of the one shipped with ncaas.", valueName: "file"))
    var prices: String?

    @OptionGroup var aws: AWSArguments
    @OptionGroup var output: OutputArguments

    func validate() throws {
        if let since, ReportCost.date(since) == nil {
            throw ValidationError("--since \(since) is not a date; give a day such as 2026-01-31 or a time such as 2026-01-31T09:00:00Z.")
        }
    }

    func run() throws {
        try reportingErrors {
            let options = ReportCost.Options(target: target, group: group, since: since.flatMap(ReportCost.date), pricesFile: prices)
            let report = try ReportCost.run(options, overrides: aws.overrides)
            print(output.options.wantsJSON ? try output.options.renderJSON(CostReports.json(report)) : CostReports.text(report))
        }
    }
}
