import ArgumentParser
import Frontend

/// `ncaas gc [<name>] [--dry-run]`.
struct GCCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc",
        abstract: "Terminate job and image-build instances past their expiry, or whose job has ended.",
        discussion: """
            Finds instances by their ncaas tags alone (role job or image-build; of one analysis, or of \
            every analysis when no name is given) and terminates those past their ncaas:expiry and the \
            job instances whose job's certificate is complete; on the local cloud it also deletes the \
            direct-access users (stand-ins for a job's instance profile) past their expiry. Dev instances \
            are never touched. Prints what it did and why.

            Example: ncaas gc spike-stats --dry-run
                     ncaas gc --profile local
            """
    )

    @Argument(help: "The analysis (a blueprint name, folder or file); else every analysis on the endpoint.")
    var target: String?

    @Flag(help: "Say what would be terminated, and terminate nothing.")
    var dryRun = false

    @OptionGroup var aws: AWSArguments
    @OptionGroup var output: OutputArguments

    func run() throws {
        try reportingErrors {
            let collected = try CollectGarbage.run(target, dryRun: dryRun, overrides: aws.overrides)
            print(output.options.wantsJSON ? try output.options.renderJSON(JobRecordReports.collectedJSON(collected, dryRun: dryRun))
                  : JobRecordReports.collectedText(collected, dryRun: dryRun))
        }
    }
}
