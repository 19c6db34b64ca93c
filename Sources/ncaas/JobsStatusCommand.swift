import ArgumentParser
import Frontend

/// `ncaas jobs status <name> <job> [--group G]`.
struct JobsStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show each dataset's status, instance and reason for one job (its status files).",
        discussion: "Example: ncaas jobs status spike-stats job__spike-stats_example-1 --output json"
    )

    @OptionGroup var jobs: JobsTarget

    @Argument(help: ArgumentHelp("The job: job__<analysis>_<timestamp>, or the timestamp.", valueName: "job"))
    var job: String

    @OptionGroup var aws: AWSArguments
    @OptionGroup var output: OutputArguments

    func run() throws {
        try reportingErrors {
            let record = try JobQueries.job(jobs.target, name: job, group: jobs.group, overrides: aws.overrides)
            print(output.options.wantsJSON ? try output.options.renderJSON(JobRecordReports.statusJSON(record)) : JobRecordReports.statusText(record))
        }
    }
}
