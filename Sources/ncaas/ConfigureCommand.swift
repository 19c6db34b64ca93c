import ArgumentParser
import Frontend
import Support

/// `ncaas configure <name>`.
struct ConfigureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "configure",
        abstract: "Create a new analysis blueprint in blueprints/<name>/.",
        discussion: """
            Writes stack_config_template.json (NeuroCAAS-compatible) and a README.md that explains \
            each field. The name is also the analysis's S3 bucket and stack name: 3 to 63 lowercase \
            letters, digits and dashes, not starting or ending with a dash.

            Example: ncaas configure spike-pca --instance-type m5.xlarge --affiliate mylab:alice,bob
            """
    )

    @Argument(help: "The analysis name.")
    var name: String

    @Option(help: "Machine image: an AMI id or an alias (ubuntu18, ubuntu16, dlami18, debian12).")
    var ami: String?

    @Option(help: "EC2 instance type for jobs, like m5.xlarge.")
    var instanceType: String?

    @Option(help: "AWS region.")
    var region: String?

    @Option(help: "The job's shell command with four {} placeholders: bucket, dataset key, result folder, config key.")
    var command: String?

    @Option(help: ArgumentHelp("A group allowed to submit jobs, as NAME or NAME:user1,user2 (repeatable).", valueName: "affiliate"))
    var affiliate: [String] = []

    @Option(help: "Create the blueprint folder in this folder instead of the project's blueprints/.")
    var dir: String?

    @Flag(help: "Overwrite the blueprint and README of an existing folder.")
    var force = false

    @OptionGroup var output: OutputArguments

    func run() throws {
        try reportingErrors {
            var options = ConfigureAnalysis.Options(name: name)
            if let ami { options.ami = ami }
            if let instanceType { options.instanceType = instanceType }
            if let region { options.region = region }
            if let command { options.command = command }
            options.affiliates = affiliate
            options.folder = dir.map { LocalPath.absolute($0) }
            options.force = force
            let result = try ConfigureAnalysis().run(options)
            if output.options.wantsJSON {
                print(try output.options.renderJSON(.object([
                    ("folder", .string(result.folder)),
                    ("files", .array(result.files.map { .string($0) })),
                ])))
            } else {
                print("Created \(result.folder)/")
                for file in result.files { print("  \(file)") }
                print("Next: edit COMMAND in the blueprint, then `ncaas blueprint validate \(name)`.")
            }
        }
    }
}
