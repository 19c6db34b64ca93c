import ArgumentParser
import DevAMI
import Frontend

/// `ncaas dev extend <name> MIN`.
struct DevExtendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extend",
        abstract: "Move the dev instance's deadline later.",
        discussion: "The deadline moves by the given time past where it is (or past now, if it has passed): on the instance's expiry tag and on its own watchdog.\n\nExample: ncaas dev extend spike-rates 30"
    )

    @OptionGroup var dev: DevTarget

    @Argument(help: ArgumentHelp("How much later: minutes, or 90m, 2h, 45s.", valueName: "duration"))
    var duration: String

    @OptionGroup var aws: AWSArguments

    func run() throws {
        try reportingErrors {
            guard let seconds = DurationText.seconds(duration) else {
                throw DevError(.badInput, "'\(duration)' is not a duration: give minutes (30) or 30m, 2h, 45s, at most 366d.")
            }
            let context = try DevContext.make(dev.target, overrides: aws.overrides)
            let record = try DevLifecycle(cloud: context.cloud).extend(context.analysis, by: seconds)
            print("Dev instance \(record.instanceId) now stops itself at \(InstanceTags.format(record.expiresAt)).")
        }
    }
}
