import ArgumentParser
import DevAMI
import Foundation
import Frontend
import SSH
import Support

/// `ncaas dev exec <name> -- CMD...`.
struct DevExecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Run a command on the dev instance; its output streams and its exit code is ncaas's.",
        discussion: """
            As `docker exec` and `kubectl exec`: one argument after -- is a shell command line, run by \
            the login shell as written; several are a command and its arguments, each passed as one word \
            (`-- sh -c 'exit 7'` exits 7). Standard input is forwarded when it is not a terminal.

            Example: ncaas dev exec spike-rates -- 'pip install numpy && python3 -c "import numpy"'
                     tar c data | ncaas dev exec spike-rates -- tar x -C /home/ubuntu
            """
    )

    @OptionGroup var dev: DevTarget
    @OptionGroup var aws: AWSArguments

    @Argument(parsing: .postTerminator, help: "The command to run.")
    var command: [String] = []

    func run() throws {
        try reportingErrors {
            guard !command.isEmpty else { throw DevError(.badInput, "Give the command after --, for example: ncaas dev exec \(dev.target) -- uname -a") }
            let context = try DevContext.make(dev.target, overrides: aws.overrides)
            let input: SSHCommandInput = isatty(STDIN_FILENO) == 1 ? .none : .fileDescriptor(STDIN_FILENO)
            let status = try DevShell(cloud: context.cloud).exec(context.analysis, command: ShellQuoting.commandLine(command), input: input,
                                                                 stdout: { FileHandle.standardOutput.write($0) },
                                                                 stderr: { FileHandle.standardError.write($0) })
            if let signal = status.signal {
                printError("the command was killed by SIG\(signal).")
                throw ExitCode(128 + 15)
            }
            if status.code != 0 { throw ExitCode(status.code) }
        }
    }
}
