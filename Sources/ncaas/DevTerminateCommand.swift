import ArgumentParser
import DevAMI
import Frontend

/// `ncaas dev terminate <name>`.
struct DevTerminateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "terminate",
        abstract: "Terminate the dev instance (refused when no image was made from it, unless --force).")

    @OptionGroup var dev: DevTarget

    @Flag(help: "Terminate even though no image was made from the instance (its work is lost).")
    var force = false

    @OptionGroup var aws: AWSArguments

    func run() throws {
        try reportingErrors {
            let context = try DevContext.make(dev.target, overrides: aws.overrides)
            let instance = try DevLifecycle(cloud: context.cloud, progress: ProgressLines.forTerminal()).terminate(context.analysis, force: force)
            print("Dev instance \(instance.instanceId) is \(instance.state).")
        }
    }
}
