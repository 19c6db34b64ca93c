import ArgumentParser

/// `ncaas fleet <subcommand>`: workshop fleets.
struct FleetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fleet",
        abstract: "Run N identical machines from one image, each with its own service and password (a workshop).",
        discussion: """
            Seats are found by the `ncaas:fleet` tag, so status, exec and terminate work from any \
            machine with the same credentials, with or without the seats file. Seats terminate \
            themselves at their deadline (--hours).
            """,
        subcommands: [FleetLaunchCommand.self, FleetStatusCommand.self, FleetExecCommand.self, FleetListCommand.self, FleetTerminateCommand.self]
    )
}
