import ArgumentParser
import Frontend

/// `ncaas affiliates remove <name> <group> <user>...`.
struct AffiliatesRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: "Take affiliate users out of the affiliate's group and the blueprint; delete IAM users nothing else holds.",
        discussion: """
            Removes each user from the affiliate's group and its access policy, and from the blueprint's \
            UXData.Affiliates[].UserNames; an IAM user left with no group and no policy is deleted with its \
            access keys, one still used elsewhere is kept (and named).

            Example: ncaas affiliates remove spike-stats neurolab bob
            """
    )

    @Argument(help: "The analysis: a blueprint name, folder or file.")
    var target: String

    @Argument(help: "The affiliate (its AffiliateName in UXData.Affiliates).")
    var group: String

    @Argument(help: "The users' names.")
    var users: [String]

    @OptionGroup var aws: AWSArguments
    @OptionGroup var output: OutputArguments

    func run() throws {
        try reportingErrors {
            let reports = try AffiliateAccounts.remove(target, group: group, users: users, overrides: aws.overrides)
            print(output.options.wantsJSON ? try output.options.renderJSON(AffiliateAccounts.json(reports)) : AffiliateAccounts.text(reports))
        }
    }
}
