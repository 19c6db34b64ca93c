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
            Exits 0 when every blueprint is valid (warnings and notes allowed), 1 when any has an error. \
            Notes name NeuroCAAS keys ncaas does not use, and what it does instead. --cloud also checks \
            the account: the AMI exists in the region (an alias resolves), and every affiliate user exists.

            Example: ncaas blueprint validate blueprints/*/ --output json
                     ncaas blueprint validate pmd --cloud --profile lab
            """
    )

    @Argument(help: "Blueprint names, folders or files.")
    var targets: [String]

    @Flag(help: "Also check the account: the AMI exists in the region, every affiliate user exists.")
    var cloud = false

    @OptionGroup var aws: AWSArguments
    @OptionGroup var output: OutputArguments

    func run() throws {
        try reportingErrors {
            let reports = try ValidateBlueprints().run(targets, cloud: cloud ? aws.overrides : nil)
            if output.options.wantsJSON {
                print(try output.options.renderJSON(ValidateBlueprints.json(reports)))
            } else {
                print(ValidateBlueprints.text(reports))
            }
            if reports.contains(where: { !$0.isValid }) { throw ExitCode(ExitCodes.failure) }
        }
    }
}
