import ArgumentParser
import DevAMI
import Fleet
import Frontend
import Support

/// `ncaas fleet status <fleet>`.
struct FleetStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Check every seat: its instance's state and whether its service answers (HTTP).",
        discussion: "Exit 0 when every seat is ready, 1 otherwise.\n\nExample: ncaas fleet status class --query .ready"
    )

    @Argument(help: "The fleet's name.") var fleet: String
    @Option(help: ArgumentHelp("The seats file (to notice seats whose instance is gone).", valueName: "path")) var seatsFile: String?
    @OptionGroup var aws: AWSArguments
    @OptionGroup var output: OutputArguments

    func run() throws {
        try reportingErrors {
            try FleetName.check(fleet)
            let cloud = try FleetContext.cloud(overrides: aws.overrides)
            let expected = FleetContext.seatNumbers(in: seatsFile.map { LocalPath.absolute($0) } ?? FleetContext.seatsFile(fleet, home: cloud.home))
            let status = try FleetStatus.check(fleet, on: cloud, expectedSeats: expected)
            guard !status.seats.isEmpty || !status.missingSeats.isEmpty else {
                throw DevError(.notFound, "The fleet \(fleet) has no instances on \(cloud.endpoint).")
            }
            print(output.options.wantsJSON ? try output.options.renderJSON(FleetReports.statusJSON(status)) : FleetReports.statusText(status))
            if status.readyCount < status.expectedCount { throw ExitCode(1) }
        }
    }
}
