import ArgumentParser
import Frontend
import Support

/// `ncaas data get <name> <group> <results-prefix> DEST`.
struct DataGetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Download a job's results (logs and process_results) into a folder.",
        discussion: """
            The results are named by the job (job__<analysis>_<timestamp>), optionally with a path below \
            it (job__x_ts/process_results); everything under <group>/results/<that> is downloaded into \
            DEST, keeping its paths.

            Example: ncaas data get spike-stats neurolab job__spike-stats_20261201T120000Z ./results
            """
    )

    @Argument(help: "The analysis: a blueprint name, folder or file.")
    var target: String

    @Argument(help: "The affiliate (group) whose results to fetch.")
    var group: String

    @Argument(help: ArgumentHelp("The job's results: job__<analysis>_<timestamp>[/sub/folder].", valueName: "results-prefix"))
    var results: String

    @Argument(help: ArgumentHelp("The local folder to download into (made when missing).", valueName: "DEST"))
    var destination: String

    @OptionGroup var aws: AWSArguments
    @OptionGroup var output: OutputArguments

    func run() throws {
        try reportingErrors {
            let job = try JobTarget.make(target, group: group, overrides: aws.overrides)
            let (moved, skipped) = try DataTransfer.get(job, results: results, destination: LocalPath.absolute(destination),
                                                        progress: ProgressLines.forTerminal(quiet: output.options.wantsJSON))
            print(output.options.wantsJSON ? try output.options.renderJSON(JobReports.movedJSON(moved, skipped: skipped))
                  : JobReports.movedText(moved, bucket: job.bucket, upload: false))
            if !skipped.isEmpty { throw DataTransfer.skippedError(skipped, bucket: job.bucket, downloaded: moved.count) }
        }
    }
}
