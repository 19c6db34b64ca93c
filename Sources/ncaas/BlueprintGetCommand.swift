import ArgumentParser
import Frontend

/// `ncaas blueprint get <name-or-path> '<jq filter>'`.
struct BlueprintGetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Print the result of a jq filter over a blueprint.",
        discussion: """
            Example: ncaas blueprint get spike-pca '.Lambda.LambdaConfig.AMI'
                     ncaas blueprint get spike-pca '[.UXData.Affiliates[].AffiliateName]' --compact
            """
    )

    @Argument(help: "Blueprint name, folder or file.")
    var blueprint: String

    @Argument(help: "A jq filter, for example '.Lambda.LambdaConfig.AMI'.")
    var filter: String = "."

    @Flag(name: [.customShort("r"), .long], help: "Print strings without quotes and everything on one line.")
    var raw = false

    func run() throws {
        try reportingErrors {
            for line in try EditBlueprint.get(blueprint, filter: filter, raw: raw) { print(line) }
        }
    }
}
