import ArgumentParser
import Foundation
import Frontend

/// `ncaas local up [--port P]`.
struct LocalUpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "up",
        abstract: "Start the local cloud: moto on loopback, the base image (built once), and the profile 'local'.",
        discussion: """
            Builds the base image (Debian bookworm + sshd, python3, curl, jq, sudo; about a minute, \
            once), starts moto on 127.0.0.1, tags the base aliases (ubuntu18, ubuntu16, dlami18, \
            debian12) and writes the profile 'local' to the AWS CLI's files. Running it again reuses \
            what runs. State and logs live in ~/.ncaas/local (NCAAS_LOCAL_DIR). Podman arguments this \
            machine needs are detected; NCAAS_PODMAN_ARGS overrides them.

            Example: ncaas local up && ncaas doctor --profile local
            """
    )

    @Option(help: "The port for moto (else the last one used, else 5000, else any free port).")
    var port: Int?

    @OptionGroup var output: OutputArguments

    func run() throws {
        try reportingErrors {
            let quiet = output.options.wantsJSON
            let report = try LocalUp().run(port: port) { step in
                if !quiet { FileHandle.standardError.write(Data("… \(step)\n".utf8)) }
            }
            if output.options.wantsJSON {
                print(try output.options.renderJSON(LocalUp.json(report)))
            } else {
                print(LocalUp.text(report))
            }
        }
    }
}
