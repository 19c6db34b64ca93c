import ArgumentParser
import Frontend

/// `ncaas data put <name> <group> FILE... [--configs]`.
struct DataPutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "put",
        abstract: "Upload datasets to <group>/inputs/ (or configs to <group>/configs/).",
        discussion: """
            Each file lands under its own name; every file is checked before the first upload. A submit \
            file names them by key, without the bucket name: <group>/inputs/<file>.

            Example: ncaas data put spike-stats neurolab a.csv b.csv
                     ncaas data put spike-stats neurolab config.json --configs
            """
    )

    @Argument(help: "The analysis: a blueprint name, folder or file.")
    var target: String

    @Argument(help: "The affiliate (group) whose folder receives the files.")
    var group: String

    @Argument(help: "The files to upload.")
    var files: [String]

    @Flag(help: "Upload to <group>/configs/ instead of <group>/inputs/.")
    var configs = false

    @OptionGroup var aws: AWSArguments
    @OptionGroup var output: OutputArguments

    func run() throws {
        try reportingErrors {
            let (job, moved) = try DataTransfer.put(target, group: group, files: files, configs: configs, overrides: aws.overrides,
                                                    progress: ProgressLines.forTerminal(quiet: output.options.wantsJSON))
            print(output.options.wantsJSON ? try output.options.renderJSON(JobReports.movedJSON(moved)) : JobReports.movedText(moved, bucket: job.bucket, upload: true))
        }
    }
}
