import ArgumentParser
import Frontend

/// `ncaas local status`.
struct LocalStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the local endpoint, the base image, instances with their SSH ports, and orphaned containers.",
        discussion: """
            An orphan is a container whose instance its endpoint no longer knows (moto restarted or \
            stopped); `ncaas local down` removes them.

            Example: ncaas local status --query '.instances[].sshPort'
            """
    )

    @OptionGroup var output: OutputArguments

    func run() throws {
        try reportingErrors {
            let report = try LocalStatus().run()
            if output.options.wantsJSON {
                print(try output.options.renderJSON(LocalStatus.json(report)))
            } else {
                print(LocalStatus.text(report))
            }
        }
    }
}
