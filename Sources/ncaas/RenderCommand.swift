import ArgumentParser
import Frontend

/// `ncaas render <name-or-path> [-o FILE]`.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Write the analysis's CloudFormation template (same blueprint, same bytes) to stacks/<name>.json.",
        discussion: """
            The template holds the bucket (kept on teardown), the job queue with its dead-letter \
            queue, policy and bucket notifications, one IAM group per affiliate with least privilege \
            over its own folder, the job instances' role, instance profile and security group, and the \
            deployed LambdaConfig in SSM. Commit it with the blueprint: an infrastructure change is a diff. \
            An invalid blueprint is refused with the validator's message.

            Example: ncaas render spike-rates && git diff stacks/
            """
    )

    @Argument(help: "A blueprint name (blueprints/<name>/), folder or JSON file.")
    var target: String

    @Option(name: [.customShort("o"), .customLong("out")], help: ArgumentHelp("Write here instead of stacks/<name>.json ('-' for standard output).", valueName: "file"))
    var out: String?

    func run() throws {
        try reportingErrors {
            if out == "-" {
                print(try RenderAnalysis.load(target).template.text, terminator: "")
                return
            }
            let written = try RenderAnalysis().run(target, output: out)
            print("\(written.path)\(written.changed ? "" : " (unchanged)")")
        }
    }
}
