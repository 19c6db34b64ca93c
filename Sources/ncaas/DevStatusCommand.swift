import ArgumentParser
import DevAMI
import Foundation
import Frontend

/// `ncaas dev status <name>`.
struct DevStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the dev instance: state, address, uptime, time left, images made from it.",
        discussion: """
            Read from the cloud (the instance's and images' tags); the local record is rebuilt when it is \
            missing or stale. Exit 66 when the analysis has no dev instance.

            Example: ncaas dev status spike-rates --query .secondsLeft
            """
    )

    @OptionGroup var dev: DevTarget
    @OptionGroup var aws: AWSArguments
    @OptionGroup var output: OutputArguments

    func run() throws {
        try reportingErrors {
            let context = try DevContext.make(dev.target, overrides: aws.overrides)
            let status = try DevStatus.of(context.analysis, on: context.cloud)
            let now = Date()
            print(output.options.wantsJSON ? try output.options.renderJSON(DevReports.statusJSON(context.analysis, status, now: now))
                  : DevReports.statusText(context.analysis, status, now: now))
        }
    }
}
