import ArgumentParser
import Frontend

/// `ncaas local down`.
struct LocalDownCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "down",
        abstract: "Remove the local cloud's instance containers (and orphans) and stop moto.",
        discussion: """
            Containers of other local endpoints that still answer (a test's own moto) are left alone. \
            The profile 'local', the base image and images ncaas created are kept, so `ncaas local up` \
            is quick afterwards.
            """
    )

    @OptionGroup var output: OutputArguments

    func run() throws {
        try reportingErrors {
            let report = try LocalDown().run()
            if output.options.wantsJSON {
                print(try output.options.renderJSON(LocalDown.json(report)))
            } else {
                print(LocalDown.text(report))
            }
        }
    }
}
