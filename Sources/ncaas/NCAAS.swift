import ArgumentParser
import Foundation
import Frontend
import Support

/// The root command: `ncaas <subcommand>`.
@main
struct NCAAS: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ncaas",
        abstract: "Turn a scientific analysis into cloud infrastructure as code.",
        discussion: """
            The loop: `ncaas configure <name>` scaffolds an analysis; `ncaas dev launch` gives you a \
            dev instance to install it on (`dev exec`, `dev ssh`), `dev create-image` and \
            `dev update-blueprint` freeze it (or `ncaas image build` runs its setup.sh); `ncaas deploy` \
            makes its stack; `ncaas test-job` runs a submission, one instance per dataset. \
            `ncaas fleet launch` serves a workshop; `ncaas cost` says what it all cost and what still bills. `ncaas local up` runs all of it on this machine \
            (`--profile local` or NCAAS_PROFILE=local); AWS CLI profiles, regions and endpoints otherwise.
            """,
        version: NCAASVersion.current,
        subcommands: [ConfigureCommand.self, BlueprintCommand.self, DoctorCommand.self, IAMPolicyCommand.self, LocalCommand.self, DevCommand.self, ImageCommand.self, FleetCommand.self, RenderCommand.self, DeployCommand.self, TeardownCommand.self, AffiliatesCommand.self, DataCommand.self, TestJobCommand.self, JobsCommand.self, ManagerCommand.self, GCCommand.self, CostCommand.self]
    )

    /// Parses and runs, after checking the subcommand names: a mistyped one gets "did you mean".
    static func main() {
        if let problem = SubcommandSuggestion.problem(in: Array(CommandLine.arguments.dropFirst()), root: Self.self) {
            printError(problem)
            Foundation.exit(ExitCodes.usage)
        }
        main(nil)
    }
}
