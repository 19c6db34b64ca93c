import ArgumentParser
import Foundation
import Frontend

/// `ncaas teardown <name>`.
struct TeardownCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "teardown",
        abstract: "Delete the analysis's stack; the bucket and its data are kept unless --delete-data.",
        discussion: """
            Asks for the analysis name on a terminal; without a terminal it refuses unless --yes. \
            --delete-data empties and deletes the bucket after the stack is gone.

            Example: ncaas teardown spike-rates
                     ncaas teardown spike-rates --delete-data --yes
            """
    )

    @Argument(help: "A blueprint name (blueprints/<name>/), folder or JSON file.")
    var target: String

    @Flag(help: "Also empty and delete the bucket and all its data.")
    var deleteData = false

    @Flag(name: [.customShort("y"), .long], help: "Do not ask for confirmation.")
    var yes = false

    @Option(help: "Give up waiting for the stack after this many seconds.")
    var timeout: Double = 900

    @OptionGroup var aws: AWSArguments
    @OptionGroup var output: OutputArguments

    func run() throws {
        try reportingErrors {
            let printer = DeployProgressPrinter.forTerminal(quiet: output.options.wantsJSON)
            let result = try TeardownAnalysis(overrides: aws.overrides).run(
                target, deleteData: deleteData, yes: yes, timeout: timeout,
                confirm: { question in
                    guard isatty(STDIN_FILENO) == 1 else { return nil }
                    FileHandle.standardError.write(Data(question.utf8))
                    return readLine() ?? ""
                },
                progress: printer.map { $0.print })
            if output.options.wantsJSON {
                print(try output.options.renderJSON(TeardownAnalysis.json(result)))
            } else {
                print(TeardownAnalysis.text(result))
            }
        }
    }
}
