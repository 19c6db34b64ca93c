import AWS
import Fleet
import Foundation
import TestSupport
import XCTest

/// A workshop fleet as an instructor types it, through the built binary on the local cloud
/// (moto with auth on, podman seats): five seats serving `python3 -m http.server {port}`.
final class FleetEndToEndTests: XCTestCase {
    private var fixture: LocalCloudCLIFixture!

    override func setUpWithError() throws { fixture = try LocalCloudCLIFixture() }

    override func tearDownWithError() throws {
        if let fixture { XCTAssertEqual(try fixture.tearDown(), 0, "no seat container outlives the test") }
    }

    private func seats(_ text: String) throws -> [FleetSeat] { try XCTUnwrap(SeatsFile.parse(text), text) }

    func testFiveSeatsServeExecAndStatusSeesOneKilledBehindItsBack() throws {
        let seatsPath = fixture.folder.appendingPathComponent("class-seats.csv").path
        let launch = try fixture.ncaas("fleet", "launch", "class", "--image", "ubuntu18", "--count", "5", "--instance-type", "t3.micro",
                                       "--command", "python3 -m http.server {port} --bind {host}", "--hours", "1", "--seats-file", "class-seats.csv")
        XCTAssertEqual(launch.exitCode, 0, launch.stderr)
        XCTAssertTrue(launch.stdout.contains("5/5 seats of class ready"), launch.stdout)

        // The seats file: five seats, owner-only, each with its own password and address.
        let mode = try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: seatsPath)[.posixPermissions] as? NSNumber)
        XCTAssertEqual(mode.intValue & 0o777, 0o600)
        let list = try seats(try String(contentsOfFile: seatsPath, encoding: .utf8))
        XCTAssertEqual(list.map(\.seat), [1, 2, 3, 4, 5])
        XCTAssertEqual(Set(list.map(\.password)).count, 5, "every seat has its own password")
        XCTAssertEqual(Set(list.map(\.address)).count, 5, "every seat has its own loopback port")
        XCTAssertTrue(list.allSatisfy { $0.password.count == 20 })

        // Every seat answers on its own port, serving its own home folder.
        for seat in list {
            let answer = try ProcessRunner.run("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "http://\(seat.address)/"], timeout: 10)
            XCTAssertEqual(answer.stdout, "200", "seat \(seat.seat) at \(seat.address)")
        }
        // All five instances came from one RunInstances call (one reservation), tagged with the fleet and seat.
        let instances = try fixture.ec2.describeInstances(filters: [.tag("ncaas:fleet", "class")])
        XCTAssertEqual(instances.count, 5)
        XCTAssertEqual(Set(instances.compactMap { $0.tag("ncaas:seat") }), ["1", "2", "3", "4", "5"])
        XCTAssertTrue(instances.allSatisfy { $0.tag("ncaas:role") == "fleet" && $0.tag("ncaas:expiry") != nil })
        XCTAssertEqual(Set(instances.compactMap(\.clientToken)).count, 1, "one launch call")

        // exec reaches all five, prefixed by seat.
        let exec = try fixture.ncaas("fleet", "exec", "class", "--", "cat /var/lib/cloud/data/instance-id")
        XCTAssertEqual(exec.exitCode, 0, exec.stderr)
        for seat in list { XCTAssertTrue(exec.stdout.contains("[seat \(seat.seat)] \(seat.instanceId)\n"), exec.stdout) }
        let failing = try fixture.ncaas("fleet", "exec", "class", "--", "test $(cat /var/lib/cloud/data/instance-id) != \(list[1].instanceId)")
        XCTAssertEqual(failing.exitCode, 1)
        XCTAssertTrue(failing.stderr.contains("failed on 1 of 5 seats: seat 2 (exit 1)"), failing.stderr)
        // Several arguments are an argv (as docker exec): `sh -c 'exit 7'` fails on every seat.
        let argv = try fixture.ncaas("fleet", "exec", "class", "--", "sh", "-c", "exit 7")
        XCTAssertTrue(argv.stderr.contains("failed on 5 of 5 seats: seat 1 (exit 7)"), argv.stderr)

        // A seat whose service dies behind ncaas's back, and one whose machine dies (its container
        // removed: the endpoint ends the instance by its shutdown behaviour, terminate), show in status.
        XCTAssertEqual(try fixture.ncaas("fleet", "status", "class", "--seats-file", "class-seats.csv").exitCode, 0, "relative, as typed")
        XCTAssertTrue(try fixture.ncaas("fleet", "exec", "class", "--", "test $(cat /var/lib/cloud/data/instance-id) != \(list[1].instanceId) || pkill -f http.server").succeeded)
        try fixture.podman.remove(list[2].instanceId)
        _ = try fixture.ec2.waitForInstances([list[2].instanceId], toBe: .terminated, policy: WaiterPolicy(timeout: 30))
        let status = try fixture.ncaas("fleet", "status", "class", "--seats-file", seatsPath, "--output", "json")
        XCTAssertEqual(status.exitCode, 1, status.stderr)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any], status.stdout + status.stderr)
        XCTAssertEqual(json["ready"] as? Int, 3)
        XCTAssertEqual(json["expected"] as? Int, 5)
        let second = try XCTUnwrap((json["seats"] as? [[String: Any]])?.first { $0["seat"] as? Int == 2 })
        XCTAssertEqual(second["ready"] as? Bool, false, "its service no longer answers")
        XCTAssertEqual(json["missingSeats"] as? [Int], [3], "its instance is gone")

        // list, then terminate finds every instance by tag, with the seats file gone.
        let listed = try fixture.ncaas("fleet", "list")
        XCTAssertTrue(listed.stdout.contains("class  4/4 running"), listed.stdout)
        try FileManager.default.removeItem(atPath: seatsPath)
        let terminate = try fixture.ncaas("fleet", "terminate", "class")
        XCTAssertEqual(terminate.exitCode, 0, terminate.stderr)
        XCTAssertEqual(terminate.stdout, "Terminated 4 instances of class.\n")
        XCTAssertEqual(try fixture.containerCount(), 0)
        XCTAssertEqual(try fixture.ec2.describeInstances(filters: [.tag("ncaas:fleet", "class"),
                                                                  EC2Filter(name: "instance-state-name", values: ["running", "pending", "stopped"])]).count, 0)
        XCTAssertEqual(try fixture.ncaas("fleet", "status", "class").exitCode, 66)
    }

    func testSeatsWhoseServiceNeverAnswersAreRetriedOnceThenReported() throws {
        // The service exits at once on every instance: each seat is retried once, then reported.
        let broken = try fixture.ncaas("fleet", "launch", "broken", "--image", "ubuntu18", "--count", "2",
                                       "--command", "exit 3", "--service-timeout", "2", "--output", "json")
        XCTAssertEqual(broken.exitCode, 1, broken.stderr)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(broken.stdout.utf8)) as? [String: Any])
        let failures = try XCTUnwrap(json["failures"] as? [[String: Any]])
        XCTAssertEqual(failures.compactMap { $0["seat"] as? Int }.sorted(), [1, 2])
        XCTAssertTrue((failures.first?["reason"] as? String ?? "").contains("did not answer"), "\(failures)")
        // Each seat was tried twice (4 instances in all), and every one of them was terminated.
        let launched = try fixture.ec2.describeInstances(filters: [.tag("ncaas:fleet", "broken")])
        XCTAssertEqual(launched.count, 4)
        let all = try fixture.ec2.waitForInstances(launched.map(\.instanceId), toBe: .terminated, policy: WaiterPolicy(timeout: 60))
        XCTAssertTrue(all.allSatisfy { $0.state == "terminated" }, all.map(\.state).joined(separator: ","))
        XCTAssertEqual(try fixture.containerCount(), 0)
    }

    func testBadInputIsRefusedBeforeAnyLaunch() throws {
        let name = try fixture.ncaas("fleet", "launch", "bad name", "--image", "ubuntu18", "--count", "2")
        XCTAssertEqual(name.exitCode, 65, name.stderr)
        XCTAssertTrue(name.stderr.contains("is not a fleet name"), name.stderr)
        let image = try fixture.ncaas("fleet", "launch", "ok", "--image", "nosuch-blueprint", "--count", "2")
        XCTAssertEqual(image.exitCode, 66, image.stderr)
        let count = try fixture.ncaas("fleet", "launch", "ok", "--image", "ubuntu18", "--count", "0")
        XCTAssertEqual(count.exitCode, 65, count.stderr)
        // Where the seats file (with the passwords) goes is checked before the seats are launched.
        try "not a folder".write(to: fixture.folder.appendingPathComponent("taken"), atomically: true, encoding: .utf8)
        let seatsFile = try fixture.ncaas("fleet", "launch", "ok", "--image", "ubuntu18", "--count", "2", "--seats-file", "taken/seats.csv")
        XCTAssertEqual(seatsFile.exitCode, 73, seatsFile.stderr)
        XCTAssertTrue(seatsFile.stderr.hasPrefix("ncaas: --seats-file \(fixture.folder.path)/taken/seats.csv cannot be written: its folder \(fixture.folder.path)/taken cannot be made ("), seatsFile.stderr)
        XCTAssertFalse(seatsFile.stderr.contains("Domain"), seatsFile.stderr)
        XCTAssertEqual(try fixture.ec2.describeInstances().count, 0, "nothing was launched")
    }
}
