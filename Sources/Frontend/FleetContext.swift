import AWS
import Blueprint
import DevAMI
import Fleet
import Foundation
import LosslessJSON
import Support

/// What every `ncaas fleet` command starts from: the cloud the AWS options name (no blueprint needed).
public enum FleetContext {
    public static func cloud(overrides: ConfigurationOverrides, transport: any HTTPTransport = CurlTransport()) throws -> DevCloud {
        try CloudConnection.devCloud(overrides: overrides, transport: transport)
    }

    /// The AMI id and analysis name for `--image`: an AMI id or alias as it is (the analysis is the
    /// fleet), or a blueprint's name or path (its AMI and PipelineName).
    public static func image(_ reference: String, fleet: String, on cloud: DevCloud) throws -> (imageId: String, analysis: String) {
        if MachineImage.isValidReference(reference) {
            return (try ImageReference.resolve(reference, on: cloud.ec2), fleet)
        }
        let path: String
        do { path = try BlueprintFile.resolve(reference) } catch {
            throw DevError(.notFound, "--image '\(reference)' is neither an AMI id, an alias (\(MachineImage.aliases.joined(separator: ", "))) nor a blueprint.")
        }
        let blueprint = Blueprint(document: try BlueprintFile.load(path))
        guard let ami = blueprint.ami else { throw DevError(.badInput, "The blueprint \(path) names no Lambda.LambdaConfig.AMI.") }
        return (try ImageReference.resolve(ami, on: cloud.ec2), blueprint.pipelineName ?? fleet)
    }

    /// Where a fleet's seats file goes by default: `~/.ncaas/fleets/<fleet>/seats.csv`.
    public static func seatsFile(_ fleet: String, home: NCAASHome) -> String { home.root + "/fleets/\(fleet)/seats.csv" }

    /// Writes the seats file, mode 0600, atomically.
    public static func writeSeats(_ seats: [FleetSeat], to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try AtomicFile.write(Data(SeatsFile.render(seats).utf8), to: path, mode: 0o600)
    }

    /// The seat numbers the seats file names, when it exists.
    public static func seatNumbers(in path: String) -> [Int] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8), let seats = SeatsFile.parse(text) else { return [] }
        return seats.map(\.seat)
    }
}

/// How fleet results print.
public enum FleetReports {
    public static func launchText(_ fleet: String, _ result: FleetLaunch.Result, seatsFile: String) -> String {
        var lines = ["seat  instance              address               password"]
        for seat in result.seats {
            lines.append(String(format: "%4d  %@  %@  %@", seat.seat, seat.instanceId.padding(toLength: 20, withPad: " ", startingAt: 0),
                                seat.address.padding(toLength: 20, withPad: " ", startingAt: 0), seat.password))
        }
        for failure in result.failures { lines.append(String(format: "%4d  failed: %@", failure.seat, failure.reason)) }
        let total = result.seats.count + result.failures.count
        lines.append("\(result.seats.count)/\(total) seats of \(fleet) ready in \(String(format: "%.1f", result.seconds)) s; they terminate themselves at \(InstanceTags.format(result.expiry)). Seats file: \(seatsFile)")
        return lines.joined(separator: "\n")
    }

    public static func launchJSON(_ fleet: String, _ result: FleetLaunch.Result, seatsFile: String) -> JSONValue {
        .object([
            ("fleet", .string(fleet)),
            ("seats", .array(result.seats.map { .object([("seat", .number(String($0.seat))), ("instanceId", .string($0.instanceId)),
                                                         ("address", .string($0.address)), ("password", .string($0.password))]) })),
            ("failures", .array(result.failures.map { .object([("seat", .number(String($0.seat))), ("reason", .string($0.reason))]) })),
            ("expiresAt", .string(InstanceTags.format(result.expiry))),
            ("seatsFile", .string(seatsFile)),
            ("seconds", .number(String(format: "%.2f", result.seconds))),
        ])
    }

    public static func statusText(_ status: FleetStatus) -> String {
        var lines = status.seats.map { seat in
            let service = seat.httpStatus.map { "answers (HTTP \($0))" } ?? (seat.state == "running" ? "not answering" : "-")
            return String(format: "%4d  %@  %@  %@  %@", seat.seat, seat.instanceId, seat.state.padding(toLength: 10, withPad: " ", startingAt: 0),
                          (seat.address ?? "-").padding(toLength: 20, withPad: " ", startingAt: 0), service)
        }
        for seat in status.missingSeats { lines.append(String(format: "%4d  gone: its instance no longer exists", seat)) }
        lines.append("\(status.readyCount)/\(status.expectedCount) ready")
        return lines.joined(separator: "\n")
    }

    public static func statusJSON(_ status: FleetStatus) -> JSONValue {
        .object([
            ("fleet", .string(status.fleet)),
            ("ready", .number(String(status.readyCount))),
            ("expected", .number(String(status.expectedCount))),
            ("seats", .array(status.seats.map { seat in .object([
                ("seat", .number(String(seat.seat))), ("instanceId", .string(seat.instanceId)), ("state", .string(seat.state)),
                ("address", seat.address.map(JSONValue.string) ?? .null),
                ("httpStatus", seat.httpStatus.map { .number(String($0)) } ?? .null), ("ready", .bool(seat.ready)),
            ]) })),
            ("missingSeats", .array(status.missingSeats.map { .number(String($0)) })),
        ])
    }
}
