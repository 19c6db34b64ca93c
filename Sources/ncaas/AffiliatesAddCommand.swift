import ArgumentParser
import Frontend

/// `ncaas affiliates add <name> <group> <user>... [--access-key]`.
struct AffiliatesAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Create affiliate users: IAM users in the affiliate's group, listed in the blueprint.",
        discussion: """
            Creates each IAM user that does not exist (tagged ncaas:analysis and ncaas:affiliate; a user \
            NeuroCAAS made as <user><REGION> is used as it is), adds it to the affiliate's group with its \
            access policy when the analysis is deployed (else `ncaas deploy` does), and adds it to the \
            blueprint's UXData.Affiliates[].UserNames. With --access-key each user gets an access key, \
            printed once and written to <user>_accessKeys.csv (mode 0600) in --key-folder, else \
            ~/.ncaas/affiliates/<analysis>/. Running it again is harmless (no second key unless asked).

            Example: ncaas affiliates add spike-stats neurolab ann bob --access-key
            """
    )

    @Argument(help: "The analysis: a blueprint name, folder or file.")
    var target: String

    @Argument(help: "The affiliate (its AffiliateName in UXData.Affiliates).")
    var group: String

    @Argument(help: "The users' names.")
    var users: [String]

    @Flag(help: "Make an access key for each user: shown once, and written to a file of mode 0600.")
    var accessKey = false

    @Option(help: ArgumentHelp("Where --access-key writes the key files (else ~/.ncaas/affiliates/<analysis>/).", valueName: "folder"))
    var keyFolder: String?

    @OptionGroup var aws: AWSArguments
    @OptionGroup var output: OutputArguments

    func run() throws {
        try reportingErrors {
            let reports = try AffiliateAccounts.add(target, group: group, users: users, accessKey: accessKey, keyFolder: keyFolder, overrides: aws.overrides)
            print(output.options.wantsJSON ? try output.options.renderJSON(AffiliateAccounts.json(reports)) : AffiliateAccounts.text(reports))
        }
    }
}
