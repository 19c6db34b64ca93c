import ArgumentParser

/// `ncaas local ...`: the local cloud (moto + podman) that stands in for AWS on this machine.
struct LocalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "local",
        abstract: "Run the whole ncaas loop on this machine: moto as AWS, podman containers as instances.",
        subcommands: [LocalUpCommand.self, LocalStatusCommand.self, LocalDownCommand.self, LocalInterruptCommand.self]
    )
}
