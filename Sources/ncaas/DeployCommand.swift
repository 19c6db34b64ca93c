import ArgumentParser
import Frontend

/// `ncaas deploy <name>`.
struct DeployCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deploy",
        abstract: "Deploy the analysis as a CloudFormation stack: change set, summary, execute, live events.",
        discussion: """
            Renders the template, creates a change set (create or update; CloudFormation validates the \
            template there, and --dry-run also calls ValidateTemplate), prints what \
            it adds, modifies, replaces and removes, executes it and streams the stack's events until it \
            settles (at most --timeout seconds). Then it checks through the service APIs what jobs depend \
            on — the bucket's notifications, the queue policy, the affiliates' policies and groups — and \
            sets what the endpoint's CloudFormation skipped, saying so. After a change it makes each \
            affiliate's folders (inputs/, configs/, submissions/, results/). "No changes" is success. \
            A stack whose creation failed (ROLLBACK_COMPLETE) is replaced only with --replace.

            Example: ncaas deploy spike-rates --profile local
                     ncaas deploy spike-rates --dry-run
                     ncaas deploy spike-rates --query .outputs.JobQueueUrl
            """
    )

    @Argument(help: "A blueprint name (blueprints/<name>/), folder or JSON file.")
    var target: String

    @Flag(help: "Show the change set without executing it.")
    var dryRun = false

    @Flag(help: "Delete a stack in ROLLBACK_COMPLETE and create it again (an empty bucket it left is made again; one holding data is never deleted: the replacement is refused).")
    var replace = false

    @Option(help: ArgumentHelp("The only addresses allowed to SSH to job instances (else the blueprint's ncaas.deploy.sshIngressCidr, else 0.0.0.0/0).", valueName: "cidr"))
    var sshCidr: String?

    @Flag(help: "With --dry-run, skip ValidateTemplate (a deploy never calls it: CreateChangeSet validates the template).")
    var noValidate = false

    @Option(help: "Give up waiting for the stack after this many seconds.")
    var timeout: Double = 900

    @OptionGroup var aws: AWSArguments
    @OptionGroup var output: OutputArguments

    func run() throws {
        try reportingErrors {
            let printer = DeployProgressPrinter.forTerminal(quiet: output.options.wantsJSON)
            let options = DeployOptions(dryRun: dryRun, replace: replace, sshCIDR: sshCidr, timeout: timeout, validateTemplate: !noValidate)
            let result = try DeployAnalysis(overrides: aws.overrides).run(target, options: options, progress: printer.map { $0.print })
            if output.options.wantsJSON {
                print(try output.options.renderJSON(DeployAnalysis.json(result)))
            } else {
                print(DeployAnalysis.text(result))
            }
        }
    }
}
