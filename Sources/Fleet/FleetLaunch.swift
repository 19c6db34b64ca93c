import AWS
import DevAMI
import Foundation
import SSH
import Support

/// `ncaas fleet launch`: N identical seats from one image, each running its own service with its
/// own password, launched in one RunInstances call and waited for together. A seat that does not
/// come up is retried once on a fresh instance, and otherwise reported; the others go on.
public struct FleetLaunch {
    public struct Options: Sendable {
        public var fleet: String
        /// The AMI id (already resolved).
        public var imageId: String
        /// What the instances are tagged with as their analysis (the blueprint, else the fleet).
        public var analysis: String
        public var count: Int
        public var instanceType: String
        /// The service's port on each seat's address.
        public var port: Int
        /// The service command with `{port}`, `{password}`, `{host}`.
        public var command: String
        /// Seconds until the seats terminate themselves.
        public var lifetime: TimeInterval
        /// Who may reach the service.
        public var cidr: String
        /// How long a seat's service may take to answer.
        public var serviceTimeout: TimeInterval
        /// The subnet the seats go in (`--subnet`); nil: the default VPC.
        public var subnetId: String?

        public init(fleet: String, imageId: String, analysis: String, count: Int, instanceType: String, port: Int = 8888,
                    command: String = ServiceCommand.jupyter, lifetime: TimeInterval = 4 * 3600, cidr: String = "0.0.0.0/0",
                    serviceTimeout: TimeInterval = 180, subnetId: String? = nil) {
            self.subnetId = subnetId
            self.fleet = fleet
            self.imageId = imageId
            self.analysis = analysis
            self.count = count
            self.instanceType = instanceType
            self.port = port
            self.command = command
            self.lifetime = lifetime
            self.cidr = cidr
            self.serviceTimeout = serviceTimeout
        }
    }

    public struct Result: Sendable {
        public var seats: [FleetSeat]
        public var failures: [FleetSeatFailure]
        public var expiry: Date
        public var seconds: Double
    }

    public var cloud: DevCloud
    public var progress: (String) -> Void

    public init(cloud: DevCloud, progress: @escaping (String) -> Void = { _ in }) {
        self.cloud = cloud
        self.progress = progress
    }

    public func run(_ options: Options) throws -> Result {
        let started = Date()
        try FleetName.check(options.fleet)
        guard (1...500).contains(options.count) else { throw DevError(.badInput, "--count must be between 1 and 500, not \(options.count).") }
        guard (1...65535).contains(options.port) else { throw DevError(.badInput, "--port must be between 1 and 65535, not \(options.port).") }
        if let live = try FleetInstances(cloud: cloud).live(options.fleet).first {
            throw DevError(.refused, "The fleet \(options.fleet) already runs (\(live.instanceId) and others); list it with `ncaas fleet status \(options.fleet)` or end it with `ncaas fleet terminate \(options.fleet)`.")
        }
        let groups = [try SSHSecurityGroup.ensure(named: "ncaas-fleet-\(options.port)", port: options.port, cidr: options.cidr,
                                                  description: "ncaas fleets: port \(options.port)", subnetId: options.subnetId, on: cloud.ec2)]
        var request = InstanceLauncher.Request(analysis: options.analysis, role: .fleet, imageId: options.imageId, instanceType: options.instanceType,
                                               lifetime: options.lifetime, shutdownBehavior: "terminate", sshCIDR: options.cidr,
                                               extraTags: [Tag(key: InstanceTags.fleet, value: options.fleet)], extraSecurityGroupIds: groups)
        request.subnetId = options.subnetId
        var pending = Array(1...options.count)
        var seats: [FleetSeat] = []
        var failures: [Int: String] = [:]
        var expiry = cloud.now().addingTimeInterval(options.lifetime)
        for attempt in 1...2 where !pending.isEmpty {
            if attempt == 2 { progress("retrying \(pending.count) seat\(pending.count == 1 ? "" : "s") on fresh instances: \(pending.map(String.init).joined(separator: ", "))") }
            let round = try launchRound(pending, request: request, options: options)
            expiry = round.expiry ?? expiry
            seats += round.seats
            for (seat, reason) in round.failures { failures[seat] = reason }
            pending = round.failures.map(\.0).sorted()
        }
        let failed = pending.map { FleetSeatFailure(seat: $0, reason: failures[$0] ?? "unknown") }
        return Result(seats: seats.sorted { $0.seat < $1.seat }, failures: failed, expiry: expiry, seconds: Date().timeIntervalSince(started))
    }

    /// Launches `seatNumbers` in one call and brings up each one's service.
    private func launchRound(_ seatNumbers: [Int], request: InstanceLauncher.Request, options: Options)
        throws -> (seats: [FleetSeat], failures: [(Int, String)], expiry: Date?) {
        let cloud = self.cloud
        // Each seat's number is tagged by its own thread with its service port (one call per seat, in
        // parallel), not one by one before any service starts; the fleet tag is on every instance from launch.
        let launched = try InstanceLauncher(cloud: cloud, progress: progress).launch(request, count: seatNumbers.count) { _ in }
        let outcomes = LockedValue<[Int: Swift.Result<FleetSeat, Error>]>([:])
        let ready = LockedValue(0)
        let progress = self.progress
        let total = options.count
        EachOnItsOwnThread.run(launched.count) { index in
            let seat = seatNumbers[index]
            let outcome = Swift.Result<FleetSeat, Error> {
                let machine = try launched[index].get()
                return try startService(on: machine, seat: seat, options: options)
            }
            if case .failure = outcome, case .success(let machine) = launched[index] {
                try? cloud.terminate([machine.instance.instanceId])
            }
            outcomes.withLock { $0[seat] = outcome }
            if case .success = outcome {
                let done = ready.withLock { $0 += 1; return $0 }
                progress("\(done) seat\(done == 1 ? "" : "s") ready (this round: \(launched.count) of \(total))")
            }
        }
        var seats: [FleetSeat] = []
        var failures: [(Int, String)] = []
        for (seat, outcome) in outcomes.value {
            switch outcome {
            case .success(let made): seats.append(made)
            case .failure(let error): failures.append((seat, "\(error)"))
            }
        }
        let expiry = launched.compactMap { try? $0.get().expiry }.first
        return (seats, failures, expiry)
    }

    /// Starts the seat's service detached, listening on the seat's private address, and waits until
    /// it answers HTTP at the address ncaas reaches the seat at (the public one, else the private one).
    private func startService(on machine: InstanceLauncher.Launched, seat: Int, options: Options) throws -> FleetSeat {
        let port = options.port
        guard let host = InstanceConnection.address(of: machine.instance), let bind = machine.instance.privateIpAddress else {
            throw DevError(.unavailable, "seat \(seat) (\(machine.instance.instanceId)) has no address")
        }
        let password = SeatPassword.make()
        try cloud.ec2.createTags(resourceIds: [machine.instance.instanceId], tags: [Tag(key: InstanceTags.seat, value: String(seat)),
                                                                                   Tag(key: InstanceTags.servicePort, value: String(port))])
        let command = ServiceCommand.substitute(options.command, port: port, password: password, host: bind)
        let started = try machine.session.exec(ServiceCommand.detached(command), timeout: .seconds(30))
        guard started.status.succeeded else {
            throw DevError(.failed, "the service did not start on seat \(seat): \(started.stderrText.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        let address = "\(host):\(port)"
        guard ServiceProbe.waitUntilAnswering(address, timeout: options.serviceTimeout) else {
            let log = (try? machine.session.exec("tail -n 3 \"$HOME/ncaas-service.log\"", timeout: .seconds(10)).stdoutText) ?? ""
            throw DevError(.unavailable, "seat \(seat)'s service did not answer on \(address) within \(Int(options.serviceTimeout)) s\(log.isEmpty ? "" : " (its log: \(log.replacingOccurrences(of: "\n", with: " / ")))")")
        }
        return FleetSeat(seat: seat, instanceId: machine.instance.instanceId, address: address, password: password)
    }
}
