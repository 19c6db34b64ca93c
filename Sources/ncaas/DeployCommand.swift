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

            The stack holds the analysis's job manager unless --no-manager (or ncaas.manager.enabled \
            false): a one-instance Auto Scaling group that runs `ncaas jobs serve` with its own role, so \
            affiliates' submissions run with nobody's laptop on. Deploy ships this ncaas (built with \
            --static-swift-stdlib; else --manager-binary) and the blueprint to s3://<bucket>/ncaas/, \
            waits for the manager's first heartbeat, and says what it costs a month.

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

    @Flag(help: "Leave the job manager out of the stack (run `ncaas jobs serve` somewhere yourself).")
    var noManager = false

    @Option(help: ArgumentHelp("The ncaas executable the job manager runs (Linux, built with --static-swift-stdlib); default: this one.", valueName: "path"))
    var managerBinary: String?

    @Option(help: ArgumentHelp("Give up waiting for the job manager's first heartbeat after this many seconds.", valueName: "seconds"))
    var managerTimeout: Double = 300

    @OptionGroup var aws: AWSArguments
    @OptionGroup var output: OutputArguments

    func run() throws {
        try reportingErrors {
            let printer = DeployProgressPrinter.forTerminal(quiet: output.options.wantsJSON)
            let options = DeployOptions(dryRun: dryRun, replace: replace, sshCIDR: sshCidr, timeout: timeout, validateTemplate: !noValidate)
            let result = try DeployAnalysis(overrides: aws.overrides).run(target, options: options,
                                                                          manager: .init(enabled: !noManager, binary: managerBinary, timeout: managerTimeout),
                                                                          progress: printer.map { $0.print })
            if output.options.wantsJSON {
                print(try output.options.renderJSON(DeployAnalysis.json(result)))
            } else {
                print(DeployAnalysis.text(result))
            }
        }
    }
}
