import ArgumentParser
import Foundation
import Frontend

/// `ncaas manager status|logs|restart`.
struct ManagerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "manager",
        abstract: "The job manager a deploy puts in the analysis's stack: its status, its log, a restart.",
        discussion: """
            The manager is an instance of the stack's one-instance Auto Scaling group (replaced if it \
            dies) running `ncaas jobs serve` with its own role; it writes a heartbeat and its log to \
            s3://<bucket>/ncaas/manager/, where these commands read them (no SSH to it). \
            `ncaas jobs serve` on your own machine still works, beside it or instead of it (--no-manager).
            """,
        subcommands: [ManagerStatusCommand.self, ManagerLogsCommand.self, ManagerRestartCommand.self]
    )
}

/// `ncaas manager status <name>`.
struct ManagerStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "The manager's instance, its ncaas version and build, uptime, running and recent jobs, the queue; why it does not serve when it does not.",
        discussion: "Exit 0 when it serves (a heartbeat within the last minute), 69 when it does not.\n\nExample: ncaas manager status spike-stats --profile local"
    )

    @Argument(help: "The analysis: a blueprint name, folder or file.")
    var target: String

    @OptionGroup var aws: AWSArguments
    @OptionGroup var output: OutputArguments

    func run() throws {
        try reportingErrors {
            let status = try ManagerCommands.status(target, overrides: aws.overrides)
            print(output.options.wantsJSON ? try output.options.renderJSON(ManagerCommands.statusJSON(status)) : ManagerCommands.statusText(status))
            if !status.isServing { throw ExitCode(69) }
        }
    }
}

/// `ncaas manager logs <name> [-f]`.
struct ManagerLogsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Print the tail of the manager's log (what it shipped last); -f follows it.",
        discussion: "Example: ncaas manager logs spike-stats -f"
    )

    @Argument(help: "The analysis: a blueprint name, folder or file.")
    var target: String

    @Flag(name: .shortAndLong, help: "Follow: print what the manager adds, until interrupted.")
    var follow = false

    @OptionGroup var aws: AWSArguments

    func run() throws {
        try reportingErrors {
            if follow {
                try ManagerCommands.follow(target, overrides: aws.overrides) { FileHandle.standardOutput.write(Data($0.utf8)) }
            } else {
                print(try ManagerCommands.logs(target, overrides: aws.overrides), terminator: "")
            }
        }
    }
}

/// `ncaas manager restart <name>`.
struct ManagerRestartCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restart",
        abstract: "Ask the manager to finish the jobs it runs, then start again.",
        discussion: "Example: ncaas manager restart spike-stats"
    )

    @Argument(help: "The analysis: a blueprint name, folder or file.")
    var target: String

    @OptionGroup var aws: AWSArguments

    func run() throws {
        try reportingErrors { print(try ManagerCommands.restart(target, overrides: aws.overrides)) }
    }
}
