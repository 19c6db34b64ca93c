import ArgumentParser
import Foundation
import Frontend

/// `ncaas jobs logs <name> <job> [--dataset D] [--group G]`.
struct JobsLogsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Print a job's certificate, or one dataset's stdout and stderr tails.",
        discussion: """
            Example: ncaas jobs logs spike-stats job__spike-stats_example-1
                     ncaas jobs logs spike-stats example-1 --dataset session1.csv -f
            """
    )

    @OptionGroup var jobs: JobsTarget

    @Argument(help: ArgumentHelp("The job: job__<analysis>_<timestamp>, or the timestamp.", valueName: "job"))
    var job: String

    @Option(help: "A dataset (its key or file name): print its stdout and stderr tails instead of the certificate.")
    var dataset: String?

    @Flag(name: .shortAndLong, help: "Follow: print what is added until the job (or the dataset) ends; a dataset's stderr goes to standard error, then one line with its final status.")
    var follow = false

    @OptionGroup var aws: AWSArguments

    func run() throws {
        try reportingErrors {
            if follow {
                try JobQueries.follow(jobs.target, name: job, dataset: dataset, group: jobs.group, overrides: aws.overrides) { text, isError in
                    guard !text.isEmpty else { return }
                    (isError ? FileHandle.standardError : FileHandle.standardOutput).write(Data(text.utf8))
                }
                return
            }
            let record = try JobQueries.job(jobs.target, name: job, group: jobs.group, overrides: aws.overrides)
            if let dataset {
                print(JobRecordReports.logsText(try JobQueries.dataset(record, dataset)), terminator: "")
            } else {
                print(record.certificate ?? "(no certificate yet)\n", terminator: "")
            }
        }
    }
}
