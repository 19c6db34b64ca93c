import ArgumentParser
import DevAMI
import Foundation
import Frontend

/// `ncaas dev ssh <name>`.
struct DevSSHCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ssh",
        abstract: "Open an interactive shell on the dev instance (the system ssh client, host key checked).",
        discussion: "Words after -- are passed to ssh as the remote command.\n\nExample: ncaas dev ssh spike-rates\n         ncaas dev ssh spike-rates -- -L 8888:localhost:8888"
    )

    @OptionGroup var dev: DevTarget
    @OptionGroup var aws: AWSArguments

    @Argument(parsing: .postTerminator, help: "A remote command for ssh.")
    var command: [String] = []

    @Flag(help: "Print the ssh command instead of running it.")
    var printCommand = false

    func run() throws {
        try reportingErrors {
            let context = try DevContext.make(dev.target, overrides: aws.overrides)
            let arguments = try DevShell(cloud: context.cloud).systemSSHArguments(context.analysis) + command
            if printCommand {
                print(DevReports.shellLine(["ssh"] + arguments))
                return
            }
            let argv = (["ssh"] + arguments).map { strdup($0) } + [nil]
            execvp("ssh", argv)
            throw DevError(.unavailable, "Could not start ssh (\(String(cString: strerror(errno)))); install the OpenSSH client.")
        }
    }
}
