import ArgumentParser
import Frontend

/// `ncaas affiliates list <name>`.
struct AffiliatesListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Each affiliate user of the blueprint: its IAM user, whether it is in its group, its access keys.",
        discussion: "Example: ncaas affiliates list spike-stats --output json"
    )

    @Argument(help: "The analysis: a blueprint name, folder or file.")
    var target: String

    @OptionGroup var aws: AWSArguments
    @OptionGroup var output: OutputArguments

    func run() throws {
        try reportingErrors {
            let listed = try AffiliateAccounts.list(target, overrides: aws.overrides)
            print(output.options.wantsJSON ? try output.options.renderJSON(AffiliateAccounts.listJSON(listed)) : AffiliateAccounts.listText(listed))
        }
    }
}
