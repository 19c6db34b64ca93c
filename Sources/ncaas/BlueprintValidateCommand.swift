import ArgumentParser
import Frontend
import Support

/// `ncaas blueprint validate <file-or-folder>...`.
struct BlueprintValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check blueprints and list every problem, with its JSON path and position.",
        discussion: """
            Each argument is a blueprint name (blueprints/<name>/), a folder, or a JSON file. \
            Exits 0 when every blueprint is valid (warnings allowed), 1 when any has an error.

            Example: ncaas blueprint validate blueprints/*/ --output json
            """
    )

    @Argument(help: "Blueprint names, folders or files.")
    var targets: [String]

    @OptionGroup var output: OutputArguments

    func run() throws {
        try reportingErrors {
            let reports = ValidateBlueprints().run(targets)
            if output.options.wantsJSON {
                print(try output.options.renderJSON(ValidateBlueprints.json(reports)))
            } else {
                print(ValidateBlueprints.text(reports))
            }
            if reports.contains(where: { !$0.isValid }) { throw ExitCode(ExitCodes.failure) }
        }
    }
}
