import AWS
import DevAMI
import Foundation
import Support
import SSH

/// A fleet as the cloud knows it: its instances, found by the `ncaas:fleet` tag (the seats file is
/// only a convenience; losing it loses nothing but the passwords).
public struct FleetInstances {
    public var cloud: DevCloud

    public init(cloud: DevCloud) { self.cloud = cloud }

    /// The fleet's instances that are not terminated, by seat.
    public func live(_ fleet: String) throws -> [Instance] {
        return try cloud.ec2.describeInstances(filters: [
            .tag(InstanceTags.fleet, fleet),
            EC2Filter(name: "instance-state-name", values: ["pending", "running", "stopping", "stopped"]),
        ]).sorted { (Int($0.tag(InstanceTags.seat) ?? "") ?? 0) < (Int($1.tag(InstanceTags.seat) ?? "") ?? 0) }
    }

    /// Every fleet with live instances.
    public func all() throws -> [(fleet: String, instances: [Instance])] {
        let instances = try cloud.ec2.describeInstances(filters: [
            .hasTag(InstanceTags.fleet),
            EC2Filter(name: "instance-state-name", values: ["pending", "running", "stopping", "stopped"]),
        ])
        return Dictionary(grouping: instances) { $0.tag(InstanceTags.fleet) ?? "" }
            .map { (fleet: $0.key, instances: $0.value) }
            .sorted { $0.fleet < $1.fleet }
    }

    /// Where a seat's service answers.
    public func serviceAddress(of instance: Instance) -> String? {
        guard let port = instance.tag(InstanceTags.servicePort) else { return nil }
        return InstanceConnection.address(of: instance).map { "\($0):\(port)" }
    }
}

/// `ncaas fleet status`: each seat's instance state and whether its service answers.
public struct FleetStatus: Sendable {
    public struct Seat: Sendable {
        public var seat: Int
        public var instanceId: String
        public var state: String
        public var address: String?
        /// The HTTP status the service answered with, nil when it did not answer.
        public var httpStatus: Int?
        public var ready: Bool { state == "running" && httpStatus != nil }
    }

    public var fleet: String
    public var seats: [Seat]
    /// Seats the seats file names whose instance no longer exists (terminated behind ncaas's back).
    public var missingSeats: [Int]
    public var expectedCount: Int
    public var readyCount: Int { seats.filter(\.ready).count }

    /// Checks every seat in parallel. `expected` is the seat count from the seats file, when known.
    public static func check(_ fleet: String, on cloud: DevCloud, expectedSeats: [Int] = []) throws -> FleetStatus {
        let finder = FleetInstances(cloud: cloud)
        let instances = try finder.live(fleet)
        let seats = LockedValue<[Seat?]>(Array(repeating: nil, count: instances.count))
        EachOnItsOwnThread.run(instances.count) { index in
            let instance = instances[index]
            let address = finder.serviceAddress(of: instance)
            let status = instance.state == "running" ? address.flatMap { ServiceProbe.status(of: $0, timeout: 3) } : nil
            seats.withLock {
                $0[index] = Seat(seat: Int(instance.tag(InstanceTags.seat) ?? "") ?? 0, instanceId: instance.instanceId,
                                 state: instance.state, address: address, httpStatus: status)
            }
        }
        let found = seats.value.compactMap { $0 }
        let present = Set(found.map(\.seat))
        let missing = expectedSeats.filter { !present.contains($0) }.sorted()
        return FleetStatus(fleet: fleet, seats: found, missingSeats: missing, expectedCount: max(found.count + missing.count, expectedSeats.count))
    }
}

/// `ncaas fleet exec`: one command on every running seat, in parallel (bounded).
public struct FleetExec {
    public struct Outcome: Sendable {
        public var seat: Int
        public var instanceId: String
        /// The exit code, or nil when the seat could not be reached (`error` says why).
        public var exitCode: Int32?
        public var error: String?
        public var succeeded: Bool { exitCode == 0 }
    }

    public var cloud: DevCloud
    public var parallelism: Int

    public init(cloud: DevCloud, parallelism: Int = 8) {
        self.cloud = cloud
        self.parallelism = max(1, parallelism)
    }

    /// Runs `command` on each running seat; `line` gets each output line prefixed by the seat, as it comes.
    public func run(_ fleet: String, command: String, line: @escaping @Sendable (String, Bool) -> Void) throws -> [Outcome] {
        let instances = try FleetInstances(cloud: cloud).live(fleet).filter { $0.stateName == .running }
        guard !instances.isEmpty else { throw DevError(.notFound, "The fleet \(fleet) has no running seats on \(cloud.endpoint).") }
        let keyPair = try DevKeys.local(cloud.home)
        let connection = InstanceConnection(cloud: cloud, keyPair: keyPair)
        let outcomes = LockedValue<[Outcome?]>(Array(repeating: nil, count: instances.count))
        let gate = DispatchSemaphore(value: parallelism)
        EachOnItsOwnThread.run(instances.count) { index in
            gate.wait()
            defer { gate.signal() }
            let instance = instances[index]
            let seat = Int(instance.tag(InstanceTags.seat) ?? "") ?? 0
            let prefix = "[seat \(seat)] "
            var outBuffer = LineBuffer(), errBuffer = LineBuffer()
            let outcome: Outcome
            do {
                let session = try connection.connect(to: instance, timeout: 20)
                let status = try session.exec(command, stdout: { data in outBuffer.feed(data) { line(prefix + $0, false) } },
                                              stderr: { data in errBuffer.feed(data) { line(prefix + $0, true) } })
                outBuffer.flush { line(prefix + $0, false) }
                errBuffer.flush { line(prefix + $0, true) }
                outcome = Outcome(seat: seat, instanceId: instance.instanceId, exitCode: status.signal == nil ? status.code : 128 + 15, error: nil)
            } catch {
                line(prefix + "unreachable: \(error)", true)
                outcome = Outcome(seat: seat, instanceId: instance.instanceId, exitCode: nil, error: "\(error)")
            }
            outcomes.withLock { $0[index] = outcome }
        }
        return outcomes.value.compactMap { $0 }.sorted { $0.seat < $1.seat }
    }
}

/// Splits a byte stream into lines.
struct LineBuffer {
    private var pending = Data()

    mutating func feed(_ data: Data, _ emit: (String) -> Void) {
        pending.append(data)
        while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
            emit(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self))
            pending = Data(pending[pending.index(after: newline)...])
        }
    }

    mutating func flush(_ emit: (String) -> Void) {
        if !pending.isEmpty { emit(String(decoding: pending, as: UTF8.self)) }
        pending = Data()
    }
}
