import ArgumentParser
import Frontend

/// `ncaas iam-policy [--for dev,image,deploy,jobs,fleet]`.
struct IAMPolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "iam-policy",
        abstract: "Print the IAM policy document ncaas needs (attach it to the user or role that runs ncaas).",
        discussion: """
            The same document the local cloud's user holds, so every local run checks it with the \
            endpoint's IAM checks on. --for narrows it to some workflows: \(IAMPolicyReport.workflowList).

            Example: ncaas iam-policy --for dev,jobs > ncaas-policy.json && \
            aws iam put-user-policy --user-name me --policy-name ncaas --policy-document file://ncaas-policy.json
            """
    )

    @Option(name: .customLong("for"), help: ArgumentHelp("Only what these workflows need, comma-separated.", valueName: "workflows"))
    var workflows: String?

    func run() throws {
        try reportingErrors {
            print(try IAMPolicyReport.document(for: workflows), terminator: "")
        }
    }
}
