import ArgumentParser
import Frontend

/// `ncaas jobs list <name> [--group G]`.
struct JobsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the jobs in the analysis's results: name, group, RUNNING|SUCCESS|FAILED, datasets succeeded.",
        discussion: "Example: ncaas jobs list spike-stats --group neurolab"
    )

    @OptionGroup var jobs: JobsTarget
    @OptionGroup var aws: AWSArguments
    @OptionGroup var output: OutputArguments

    func run() throws {
        try reportingErrors {
            let records = try JobQueries.list(jobs.target, group: jobs.group, overrides: aws.overrides)
            print(output.options.wantsJSON ? try output.options.renderJSON(JobRecordReports.listJSON(records)) : JobRecordReports.listText(records))
        }
    }
}
