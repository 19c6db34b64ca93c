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
            `ncaas blueprint validate`, start the local cloud with `ncaas local up`, and deploy \
            with `ncaas deploy <name>` (`--profile local` or NCAAS_PROFILE=local for the local \
            cloud; AWS CLI profiles, regions and endpoints otherwise).
            """,
        version: NCAASVersion.current,
        subcommands: [ConfigureCommand.self, BlueprintCommand.self, DoctorCommand.self, LocalCommand.self, DevCommand.self, ImageCommand.self, FleetCommand.self, RenderCommand.self, DeployCommand.self, TeardownCommand.self, DataCommand.self, TestJobCommand.self, JobsCommand.self, GCCommand.self]
    )
}
