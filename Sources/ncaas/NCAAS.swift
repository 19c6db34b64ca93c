import ArgumentParser
import Frontend

/// The root command: `ncaas <subcommand>`.
@main
struct NCAAS: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ncaas",
        abstract: "Turn a scientific analysis into cloud infrastructure as code.",
        discussion: """
            Scaffold an analysis with `ncaas configure <name>`, check it with \
            `ncaas blueprint validate`, and read or change it with `ncaas blueprint get/set`.
            """,
        version: NCAASVersion.current,
        subcommands: [ConfigureCommand.self, BlueprintCommand.self, DoctorCommand.self, LocalCommand.self, RenderCommand.self, DeployCommand.self, TeardownCommand.self]
    )
}
