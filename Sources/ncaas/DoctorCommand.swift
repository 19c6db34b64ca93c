import ArgumentParser
import Frontend

/// `ncaas doctor`.
struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Show who you are on AWS, and the profile, region and endpoints in use, with where each came from.",
        discussion: """
            Calls STS GetCallerIdentity, which needs no permission. When something is missing or \
            wrong (no credentials, an unreachable endpoint, a wrong secret) it says what, and exits \
            non-zero: 77 for credentials, 69 for an unreachable or refusing endpoint, 78 for \
            configuration.

            Example: ncaas doctor --profile local
                     ncaas doctor --query .identity.account
            """
    )

    @OptionGroup var aws: AWSArguments
    @OptionGroup var output: OutputArguments

    func run() throws {
        try reportingErrors {
            let report = Doctor(overrides: aws.overrides).run()
            if output.options.wantsJSON {
                print(try output.options.renderJSON(Doctor.json(report)))
            } else {
                print(Doctor.text(report))
            }
            if let problem = report.problem { throw ExitCode(problem.exitCode) }
        }
    }
}
