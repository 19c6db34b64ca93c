import ArgumentParser

/// `ncaas data put|get`.
struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Move datasets and configs into a deployed analysis's bucket, and results out of it.",
        subcommands: [DataPutCommand.self, DataGetCommand.self]
    )
}
