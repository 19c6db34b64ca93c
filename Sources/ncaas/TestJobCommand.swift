import ArgumentParser
import Foundation
import Frontend
import Jobs

/// `ncaas test-job <name> submit.json [--group G]`.
struct TestJobCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test-job",
        abstract: "Run one submission of a deployed analysis from this machine, one instance per dataset.",
        discussion: """
            Checks the submit file ("dataname": a key or a list of keys, "configname", "timestamp", \
            optional "instance_type"; keys without the bucket name) and that every key exists, uploads it \
            to <group>/submissions/, then runs the job here: one instance per dataset in one launch, the \
            dataset and config copied in over SFTP, COMMAND run with its output streamed into \
            <group>/results/job__<analysis>_<timestamp>/logs/, results copied to process_results/. Every \
            instance is terminated at the end, on failure and on Ctrl-C. With --market spot (or \
            ncaas.jobs.market), a dataset whose spot instance is interrupted is marked INTERRUPTED and run \
            again once (spot-then-on-demand: on-demand). Exits 0 only when every dataset \
            succeeded. The job runs by the blueprint here; a note names the fields it changed since the \
            deploy (`ncaas jobs serve` runs what is deployed). --dev or --instance-id run the datasets on a running instance of the analysis \
            instead, and leave it running.

            Example: ncaas test-job spike-stats submit.json --group neurolab --profile local
            """
    )

    @Argument(help: "The analysis: a blueprint name, folder or file.")
    var target: String

    @Argument(help: ArgumentHelp("The submit file (JSON).", valueName: "submit.json"))
    var submitFile: String

    @Option(help: "The affiliate (group) to run as; else the blueprint's only affiliate.")
    var group: String?

    @Flag(help: "Run every dataset on the analysis's live dev instance instead of new instances, and leave it running.")
    var dev = false

    @Option(help: ArgumentHelp("Run every dataset on this running instance of the analysis instead of new ones, and leave it running.", valueName: "id"))
    var instanceId: String?

    @Option(help: ArgumentHelp("Where the job's instances come from: on-demand, spot, or spot-then-on-demand (a dataset interrupted on spot runs again on-demand); else the blueprint's ncaas.jobs.market.", valueName: "market"))
    var market: JobMarket?

    @OptionGroup var aws: AWSArguments
    @OptionGroup var output: OutputArguments

    func validate() throws {
        if market != nil && (dev || instanceId != nil) { throw ValidationError("--market chooses where new instances come from; --dev and --instance-id launch none, so give one or the other.") }
        if dev && instanceId != nil { throw ValidationError("Give --dev or --instance-id, not both.") }
    }

    func run() throws {
        try reportingErrors {
            let quiet = output.options.wantsJSON
            let observer = JobManager.Observer(progress: ProgressLines.forTerminal(quiet: quiet), status: JobReports.liveStatus(quiet: quiet))
            let host: TestJobAnalysis.Host? = dev ? .dev : instanceId.map { .instance($0) }
            let report = try TestJobAnalysis.run(target: target, submitPath: submitFile, group: group, host: host, market: market, overrides: aws.overrides,
                                                 observer: observer) { FileHandle.standardError.write(Data("ncaas: note: \($0)\n".utf8)) }
            print(output.options.wantsJSON ? try output.options.renderJSON(JobReports.json(report)) : JobReports.text(report))
            if !report.succeeded || !report.leftRunning.isEmpty { throw ExitCode(1) }
        }
    }
}

extension JobMarket: ExpressibleByArgument {}
