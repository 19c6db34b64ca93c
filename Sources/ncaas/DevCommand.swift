import ArgumentParser

/// `ncaas dev <subcommand>`: the dev-instance loop.
struct DevCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev",
        abstract: "Develop an analysis on a dev instance: launch, reach, image, update the blueprint, terminate.",
        discussion: """
            One dev instance per analysis, launched from the blueprint's AMI, tagged with the analysis, \
            the role dev, the owner and a deadline (the instance stops itself then unless extended). \
            The loop: `dev launch`, `dev exec`/`dev put`/`dev ssh` to install the analysis, \
            `dev create-image`, `dev update-blueprint` (two git commits), `dev terminate`. State is \
            rebuilt from the cloud's tags, so any machine with the same credentials sees the same.
            """,
        subcommands: [DevLaunchCommand.self, DevStatusCommand.self, DevSSHCommand.self, DevExecCommand.self,
                      DevPutCommand.self, DevGetCommand.self, DevStopCommand.self, DevStartCommand.self,
                      DevExtendCommand.self, DevCreateImageCommand.self, DevUpdateBlueprintCommand.self,
                      DevTerminateCommand.self]
    )
}

/// The blueprint argument every dev command takes.
struct DevTarget: ParsableArguments {
    @Argument(help: "A blueprint name (blueprints/<name>/), folder or JSON file.")
    var target: String
}
