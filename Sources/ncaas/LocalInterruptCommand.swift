import ArgumentParser
import Frontend

/// `ncaas local interrupt <instance-id> [--after 120s]`.
struct LocalInterruptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "interrupt",
        abstract: "Interrupt a local-cloud instance as EC2 reclaims a spot instance: a notice, then termination.",
        discussion: """
            Posts EC2's spot interruption notice in the instance's metadata (meta-data/spot/instance-action, \
            {"action": "terminate", "time": ...}) and terminates the instance --after later (EC2 gives two \
            minutes), with the state reason Server.SpotInstanceTermination. A job running on it sees what it \
            would see on AWS: its dataset is marked INTERRUPTED and run again (ncaas.jobs.market).

            Example: ncaas local interrupt i-0123456789abcdef0 --after 30s
            """
    )

    @Argument(help: ArgumentHelp("The instance to interrupt (`ncaas local status` lists them).", valueName: "instance-id"))
    var instanceId: String

    @Option(help: ArgumentHelp("How long after the notice the instance is terminated: 120s (EC2's two minutes), 30s, 0.", valueName: "duration"))
    var after: String = "120s"

    @OptionGroup var output: OutputArguments

    func validate() throws {
        guard LocalInterrupt.seconds(after) != nil else {
            throw ValidationError("--after \(after) is not a duration from 0 to a day; give one such as 120s, 2m or 0.")
        }
    }

    func run() throws {
        try reportingErrors {
            let report = try LocalInterrupt.run(instanceId, after: LocalInterrupt.seconds(after) ?? 120)
            print(output.options.wantsJSON ? try output.options.renderJSON(LocalInterrupt.json(report)) : LocalInterrupt.text(report))
        }
    }
}
