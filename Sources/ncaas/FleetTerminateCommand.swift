import ArgumentParser
import DevAMI
import Fleet
import Foundation
import Frontend

/// `ncaas fleet terminate <fleet>`.
struct FleetTerminateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "terminate",
        abstract: "Terminate every instance of the fleet (found by its tag; the seats file is not needed).")

    @Argument(help: "The fleet's name.") var fleet: String
    @OptionGroup var aws: AWSArguments

    func run() throws {
        try reportingErrors {
            let cloud = try FleetContext.cloud(overrides: aws.overrides)
            let ids = try FleetTerminate.run(fleet, on: cloud, progress: ProgressLines.forTerminal())
            try? FileManager.default.removeItem(atPath: FleetContext.seatsFile(fleet, home: cloud.home))
            print("Terminated \(ids.count) instance\(ids.count == 1 ? "" : "s") of \(fleet).")
        }
    }
}
