import ArgumentParser
import Frontend

/// `ncaas gc [<name>] [--dry-run]`.
struct GCCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc",
        abstract: "End what outlived its purpose: job and image-build instances, snapshots whose image is gone; say what it saves.",
        discussion: """
            Finds instances by their ncaas tags alone (role job or image-build; of one analysis, or of \
            every analysis when no name is given) and terminates those past their ncaas:expiry and the \
            job instances whose job's certificate is complete, and deletes the snapshots ncaas made (tagged \
            ncaas:analysis) whose image is gone. Dev instances are never touched. Prints what it did, why, \
            and the dollars per hour that no longer bill (at ncaas's price table; `ncaas cost` lists \
            what still bills).

            Example: ncaas gc spike-stats --dry-run
                     ncaas gc --profile local
            """
    )

    @Argument(help: "The analysis (a blueprint name, folder or file); else every analysis on the endpoint.")
    var target: String?

    @Flag(help: "Say what would be terminated or deleted, and change nothing.")
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
