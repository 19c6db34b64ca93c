import ArgumentParser

/// `ncaas jobs list|status|logs`.
struct JobsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "Serve a deployed analysis's jobs, and read them back from its bucket (any machine with read access sees the same).",
        subcommands: [JobsServeCommand.self, JobsListCommand.self, JobsStatusCommand.self, JobsLogsCommand.self, JobsCancelCommand.self]
    )
}

/// The analysis and group every `ncaas jobs` subcommand takes.
struct JobsTarget: ParsableArguments {
    @Argument(help: "The analysis: a blueprint name, folder or file.")
    var target: String

    @Option(help: "The affiliate (group); else the blueprint's only affiliate (list: every affiliate).")
    var group: String?
}
