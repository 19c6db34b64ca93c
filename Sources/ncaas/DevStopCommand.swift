import ArgumentParser
import DevAMI
import Frontend

/// `ncaas dev stop <name>`.
struct DevStopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stop",
        abstract: "Stop the dev instance (its disk is kept; start it again with `ncaas dev start`).")

    @OptionGroup var dev: DevTarget
    @OptionGroup var aws: AWSArguments

    func run() throws {
        try reportingErrors {
            let context = try DevContext.make(dev.target, overrides: aws.overrides)
            let instance = try DevLifecycle(cloud: context.cloud, progress: ProgressLines.forTerminal()).stop(context.analysis)
            print("Dev instance \(instance.instanceId) is \(instance.state).")
        }
    }
}
