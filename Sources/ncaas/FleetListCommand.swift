import ArgumentParser
import DevAMI
import Fleet
import Foundation
import Frontend
import LosslessJSON

/// `ncaas fleet list`.
struct FleetListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List fleets with their seat counts, age and time left.")

    @OptionGroup var aws: AWSArguments
    @OptionGroup var output: OutputArguments

    func run() throws {
        try reportingErrors {
            let cloud = try FleetContext.cloud(overrides: aws.overrides)
            let now = Date()
            let fleets = try FleetInstances(cloud: cloud).all().map { entry in
                (name: entry.fleet, seats: entry.instances.count,
                 running: entry.instances.filter { $0.stateName == .running }.count,
                 launched: entry.instances.compactMap(\.launchDate).min(), expiry: entry.instances.compactMap(\.expiry).min())
            }
            if output.options.wantsJSON {
                print(try output.options.renderJSON(.array(fleets.map { fleet in .object([
                    ("fleet", .string(fleet.name)), ("seats", .number(String(fleet.seats))), ("running", .number(String(fleet.running))),
                    ("launchedAt", fleet.launched.map { .string(InstanceTags.format($0)) } ?? .null),
                    ("expiresAt", fleet.expiry.map { .string(InstanceTags.format($0)) } ?? .null),
                ]) })))
                return
            }
            guard !fleets.isEmpty else { print("No fleets on \(cloud.endpoint)."); return }
            for fleet in fleets {
                let age = fleet.launched.map { DurationText.describe(now.timeIntervalSince($0)) } ?? "?"
                let left = fleet.expiry.map { DurationText.describe($0.timeIntervalSince(now)) } ?? "?"
                print("\(fleet.name)  \(fleet.running)/\(fleet.seats) running  age \(age)  time left \(left)")
            }
        }
    }
}
