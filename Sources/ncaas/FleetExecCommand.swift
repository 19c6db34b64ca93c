import ArgumentParser
import DevAMI
import Fleet
import Foundation
import Frontend
import Support

/// `ncaas fleet exec <fleet> -- CMD...`.
struct FleetExecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Run a command on every running seat in parallel; output lines are prefixed by seat.",
        discussion: "One argument after -- is a shell command line; several are a command and its arguments, each one word (as docker exec). Exit 0 when it succeeded on every seat, 1 otherwise.\n\nExample: ncaas fleet exec class -- 'pip list | grep numpy'"
    )

    @Argument(help: "The fleet's name.") var fleet: String
    @Option(help: "How many seats at once.") var parallel: Int = 8
    @OptionGroup var aws: AWSArguments

    @Argument(parsing: .postTerminator, help: "The command to run.")
    var command: [String] = []

    func run() throws {
        try reportingErrors {
            guard !command.isEmpty else { throw DevError(.badInput, "Give the command after --, for example: ncaas fleet exec \(fleet) -- hostname") }
            try FleetName.check(fleet)
            let cloud = try FleetContext.cloud(overrides: aws.overrides)
            let printLock = NSLock()
            let outcomes = try FleetExec(cloud: cloud, parallelism: parallel).run(fleet, command: ShellQuoting.commandLine(command)) { line, isError in
                printLock.lock()
                (isError ? FileHandle.standardError : FileHandle.standardOutput).write(Data((line + "\n").utf8))
                printLock.unlock()
            }
            let failed = outcomes.filter { !$0.succeeded }
            if !failed.isEmpty {
                printError("failed on \(failed.count) of \(outcomes.count) seats: " + failed.map { "seat \($0.seat) (\($0.exitCode.map { "exit \($0)" } ?? "unreachable"))" }.joined(separator: ", ") + ".")
                throw ExitCode(1)
            }
        }
    }
}
