import ArgumentParser
import Foundation
import Frontend
import Jobs

/// `ncaas jobs serve <name>`.
struct JobsServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the deployed analysis's jobs as submissions arrive (the job queue), until stopped.",
        discussion: """
            Long-polls the analysis's job queue, which receives the bucket's <group>/submissions/*submit.json \
            notifications, and runs each submission as `ncaas test-job` would, up to --concurrency at once. A \
            message is deleted only once its job is recorded (its certificate's STEP 4/4). A job already \
            finished is not run again; one whose manager died (its lease in logs/ncaas-manager.json older \
            than --visibility-timeout) has its instances terminated and runs again. Prints one line per \
            submission. SIGTERM drains: no new submission is taken, the running jobs finish, then it exits 0 \
            (a second SIGTERM, or Ctrl-C, terminates the running jobs' instances and exits).

            Example: ncaas jobs serve spike-stats --profile local
            """
    )

    @Argument(help: "The analysis: a blueprint name, folder or file.")
    var target: String

    @Option(help: "How many jobs may run at once.")
    var concurrency = 4

    @Option(help: ArgumentHelp("Seconds a received submission stays hidden from other servers; renewed while its job runs.", valueName: "seconds"))
    var visibilityTimeout = 60

    @Flag(help: "Run as the analysis's in-stack job manager (what its instance's supervisor starts): job instances in the stack's job group at their private addresses, a heartbeat and the log in s3://<bucket>/ncaas/manager/.")
    var inStack = false

    @Option(help: ArgumentHelp("The log file the in-stack manager ships to the bucket.", valueName: "path"))
    var logFile: String?

    @OptionGroup var aws: AWSArguments

    func run() throws {
        try reportingErrors {
            let say: @Sendable (String) -> Void = { line in
                FileHandle.standardOutput.write(Data((line + "\n").utf8))
            }
            try ServeJobs.run(target, options: .init(concurrency: concurrency, visibilityTimeout: visibilityTimeout, inStack: inStack, logFile: logFile),
                              overrides: aws.overrides,
                              say: say, observer: JobManager.Observer(progress: ProgressLines.forTerminal(), status: JobReports.liveStatus(quiet: false)))
        }
    }
}
