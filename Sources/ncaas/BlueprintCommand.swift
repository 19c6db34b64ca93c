import ArgumentParser

/// `ncaas blueprint ...`: check, read and change blueprints.
struct BlueprintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "blueprint",
        abstract: "Validate, read and change analysis blueprints.",
        subcommands: [BlueprintValidateCommand.self, BlueprintGetCommand.self, BlueprintSetCommand.self]
    )
}
