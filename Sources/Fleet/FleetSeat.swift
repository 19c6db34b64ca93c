import AWS
import DevAMI
import Foundation

/// One participant's machine in a fleet: which instance, where its service answers, its password.
public struct FleetSeat: Sendable, Equatable {
    public var seat: Int
    public var instanceId: String
    /// "host:port" of the service.
    public var address: String
    /// The seat's own password (token); never tagged or logged, only written to the seats file.
    public var password: String

    public init(seat: Int, instanceId: String, address: String, password: String) {
        self.seat = seat
        self.instanceId = instanceId
        self.address = address
        self.password = password
    }
}

/// A seat that did not come up, with why.
public struct FleetSeatFailure: Sendable, Equatable {
    public var seat: Int
    public var reason: String
}

/// The seats file: `seat,instance_id,address,password`, mode 0600.
public enum SeatsFile {
    public static let header = "seat,instance_id,address,password"

    public static func render(_ seats: [FleetSeat]) -> String {
        ([header] + seats.sorted { $0.seat < $1.seat }.map { "\($0.seat),\($0.instanceId),\($0.address),\($0.password)" })
            .joined(separator: "\n") + "\n"
    }

    /// Parses a seats file; nil when it is not one.
    public static func parse(_ text: String) -> [FleetSeat]? {
        var lines = text.split(separator: "\n").map(String.init)
        guard lines.first == header else { return nil }
        lines.removeFirst()
        var seats: [FleetSeat] = []
        for line in lines {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 4, let seat = Int(fields[0]) else { return nil }
            seats.append(FleetSeat(seat: seat, instanceId: fields[1], address: fields[2], password: fields[3]))
        }
        return seats
    }
}

/// Fleet names: what `ncaas fleet` takes (they become tags and a folder name).
public enum FleetName {
    public static func check(_ name: String) throws {
        let allowed = name.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" || $0 == "_" }
        guard !name.isEmpty, name.count <= 63, allowed, name.first != "-" else {
            throw DevError(.badInput, "'\(name)' is not a fleet name: use 1–63 letters, digits, dashes and underscores, not starting with a dash.")
        }
    }
}

/// Random passwords for seats: 20 characters of letters and digits from the system's random source.
public enum SeatPassword {
    static let alphabet = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")

    public static func make(length: Int = 20) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
    }
}
