import ArgumentParser

/// `ncaas affiliates add|remove|list`.
struct AffiliatesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "affiliates",
        abstract: "Create, remove and list the IAM users of an analysis's affiliates (the groups that submit jobs).",
        subcommands: [AffiliatesAddCommand.self, AffiliatesRemoveCommand.self, AffiliatesListCommand.self]
    )
}
