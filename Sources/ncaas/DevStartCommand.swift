import ArgumentParser
import DevAMI
import Frontend

/// `ncaas dev start <name>`.
struct DevStartCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Start the stopped dev instance and wait until SSH answers.")

    @OptionGroup var dev: DevTarget
    @OptionGroup var aws: AWSArguments

    func run() throws {
        try reportingErrors {
            let context = try DevContext.make(dev.target, overrides: aws.overrides)
            let instance = try DevLifecycle(cloud: context.cloud, progress: ProgressLines.forTerminal()).start(context.analysis)
            print("Dev instance \(instance.instanceId) is \(instance.state).")
        }
    }
}
