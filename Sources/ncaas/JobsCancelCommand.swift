import ArgumentParser
import Frontend

/// `ncaas jobs cancel <name> <job> [--group G]`.
struct JobsCancelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel a job from any machine: its instances terminated, its unfinished datasets FAILED.",
        discussion: """
            Marks the job cancelled (logs/ncaas-cancel.json) and terminates its instances, found by their \
            tags. A live manager (test-job, jobs serve) then records the end; with none alive, the \
            statuses and the certificate are ended here. A finished job is refused (exit 75).

            Example: ncaas jobs cancel spike-stats job__spike-stats_example-1
            """
    )

    @OptionGroup var jobs: JobsTarget

    @Argument(help: ArgumentHelp("The job: job__<analysis>_<timestamp>, or the timestamp.", valueName: "job"))
    var job: String

    @OptionGroup var aws: AWSArguments

    func run() throws {
        try reportingErrors {
            let result = try JobQueries.cancel(jobs.target, name: job, group: jobs.group, overrides: aws.overrides)
            print("\(result.job): cancelled; terminated \(result.terminated.isEmpty ? "no instance" : result.terminated.joined(separator: ", "))\(result.managerAlive ? " (its manager records the end)" : "")")
        }
    }
}
