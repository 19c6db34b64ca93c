import ArgumentParser
import Foundation
import Frontend

/// `ncaas local up [--port P]`.
struct LocalUpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "up",
        abstract: "Start the local cloud: one AWS endpoint on loopback whose EC2 instances are real, and the profile 'local'.",
        discussion: """
            Builds the base image (Debian bookworm + sshd, python3, curl, jq, sudo; about a minute, \
            once) and starts the endpoint on 127.0.0.1: moto, with signature and IAM checks on, \
            extended so that every EC2 instance, whoever launches it (ncaas, the AWS CLI, boto3, a \
            CloudFormation stack), is a podman container with its own loopback address, sshd on port \
            22 of it, cloud-init's boot (user-data, host keys on the console) and an instance metadata \
            service. The base aliases (ubuntu18, ubuntu16, dlami18 log in as ubuntu; debian12 as \
            admin) resolve as on AWS. The profile 'local' gets a user holding exactly the policy \
            `ncaas iam-policy` prints. Running it again reuses what runs. State and logs live in \
            ~/.ncaas/local (NCAAS_LOCAL_DIR). Podman arguments this machine needs are detected; \
            NCAAS_PODMAN_ARGS overrides them.

            Example: ncaas local up && ncaas doctor --profile local
            """
    )

    @Option(help: "The port for the endpoint (else the last one used, else 5000, else any free port).")
    var port: Int?

    @Flag(help: "An account without a default VPC, as many institutional accounts are: launches must name a subnet.")
    var noDefaultVpc = false

    @OptionGroup var output: OutputArguments

    func run() throws {
        try reportingErrors {
            let quiet = output.options.wantsJSON
            let report = try LocalUp().run(port: port, defaultVPC: !noDefaultVpc) { step in
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
