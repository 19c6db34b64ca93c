import ArgumentParser
import Frontend
import Support

/// `ncaas render <name-or-path> [--file FILE] [--output text|json]`.
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

    @Option(help: ArgumentHelp("Write here instead of stacks/<name>.json ('-' for standard output).", valueName: "file"))
    var file: String?

    @OptionGroup var output: OutputArguments

    func run() throws {
        try reportingErrors {
            if file == "-" {
                print(try RenderAnalysis.load(target).template.text, terminator: "")
                return
            }
            let written = try RenderAnalysis().run(target, output: file.map { LocalPath.absolute($0) })
            print(output.options.wantsJSON ? try output.options.renderJSON(.object([("file", .string(written.path)), ("changed", .bool(written.changed))]))
                  : "\(written.path)\(written.changed ? "" : " (unchanged)")")
        }
    }
}
