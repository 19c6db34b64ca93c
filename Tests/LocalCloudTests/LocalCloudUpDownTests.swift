import AWS
import Foundation
import LocalCloud
import Permissions
import TestSupport
import XCTest

/// `ncaas local up/status/down` as the library runs them: the real emulator started detached, the
/// shared base image, a profile written into temporary AWS CLI files.
final class LocalCloudUpDownTests: XCTestCase {
    private var folder: URL!
    private var cloud: LocalCloud!
    private var environment: [String: String] = [:]

    override func setUpWithError() throws {
        _ = try LocalCloudFixture.podman()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("ncaas-local-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("aws"), withIntermediateDirectories: true)
        try "[default]\nregion = eu-west-1\n".write(to: folder.appendingPathComponent("aws/config"), atomically: true, encoding: .utf8)
        environment = ProcessInfo.processInfo.environment
        environment["AWS_CONFIG_FILE"] = folder.appendingPathComponent("aws/config").path
        environment["AWS_SHARED_CREDENTIALS_FILE"] = folder.appendingPathComponent("aws/credentials").path
        cloud = makeCloud(environment)
    }

    override func tearDownWithError() throws {
        if let cloud {
            _ = try? cloud.down()
            if let endpoint = lastEndpoint {
                XCTAssertEqual(try LocalCloudFixture.containerCount(endpoint: endpoint, podman: LocalCloudFixture.podman()), 0)
            }
        }
        try? FileManager.default.removeItem(at: folder)
    }

    private var lastEndpoint: String?

    private func makeCloud(_ environment: [String: String]) -> LocalCloud {
        LocalCloud(paths: LocalCloudPaths(root: folder.appendingPathComponent("state").path),
                   environment: environment, profileFiles: .forEnvironment(environment))
    }

    /// The EC2 client every ncaas command gets with `NCAAS_PROFILE=local`.
    private func profileEC2() throws -> EC2Client {
        var variables = environment
        variables["NCAAS_PROFILE"] = "local"
        for name in ["AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_ENDPOINT_URL", "AWS_REGION", "AWS_DEFAULT_REGION"] {
            variables[name] = nil
        }
        let resolver = try AWSConfigurationResolver(environment: ConfigurationEnvironment(variables: variables, homeDirectory: folder.path))
        return EC2Client(AWSClient(configuration: try resolver.resolve(), transport: CurlTransport()))
    }

    private func options(_ port: Int? = nil) -> LocalCloud.UpOptions {
        LocalCloud.UpOptions(port: port, policy: NCAASPolicy.document())
    }

    func testUpStartsTheCloudTwiceReusesItStatusFindsOrphansAndDownRemovesThem() throws {
        let port = try Loopback.freePort()
        let first = try cloud.up(options(port))
        lastEndpoint = first.moto.endpoint
        XCTAssertTrue(first.startedMoto)
        XCTAssertEqual(first.moto.endpoint, "http://127.0.0.1:\(port)")
        XCTAssertTrue(try String(contentsOfFile: environment["AWS_CONFIG_FILE"]!, encoding: .utf8).hasPrefix("[default]\nregion = eu-west-1\n"),
                      "other profiles stay")

        let again = try cloud.up(options())
        XCTAssertFalse(again.startedMoto, "the second run reuses moto")
        XCTAssertEqual(again.moto.pid, first.moto.pid)
        XCTAssertLessThan(again.seconds, 5, "the second run only checks")

        // Through the profile, like every ncaas command: its user holds the documented policy, the
        // alias is Canonical's public parameter, the instance is real.
        let ec2 = try profileEC2()
        let imageId = try ec2.client.ssm.getParameter(name: "/aws/service/canonical/ubuntu/server/16.04/stable/current/amd64/hvm/ebs-gp2/ami-id").value
        XCTAssertEqual(imageId, first.aliases.first { $0.alias == "ubuntu16" }?.imageId)
        XCTAssertThrowsError(try ec2.client.iam.listUsers()) { error in
            XCTAssertEqual((error as? AWSError)?.code, "AccessDenied", "the local user holds the documented policy, not everything")
        }
        let reservation = try ec2.runInstances(RunInstancesInput(imageId: imageId, instanceType: "t3.micro"))
        let instance = try XCTUnwrap(reservation.instances.first)
        let running = try XCTUnwrap(try ec2.waitForInstances([instance.instanceId], toBe: .running, policy: WaiterPolicy(timeout: 60)).first)

        var status = try cloud.status()
        XCTAssertTrue(status.motoAnswers)
        XCTAssertNotNil(status.baseImageSize)
        let listed = try XCTUnwrap(status.containers.first { $0.instanceId == instance.instanceId })
        XCTAssertEqual(listed.standing, .instance(state: "running"))
        XCTAssertEqual(listed.address, running.publicIpAddress)

        // The endpoint dies and comes back empty: the container is an orphan.
        kill(first.moto.pid, SIGKILL)
        let deadline = Date().addingTimeInterval(5)
        while Loopback.accepts(port: port), Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        let restarted = try cloud.up(options())
        XCTAssertTrue(restarted.startedMoto)
        XCTAssertEqual(restarted.moto.port, port, "the last port is reused")
        status = try cloud.status()
        let orphan = try XCTUnwrap(status.orphans.first { $0.instanceId == instance.instanceId })
        guard case .orphan(let reason) = orphan.standing else { return XCTFail("not an orphan: \(orphan.standing)") }
        XCTAssertTrue(reason.contains("the endpoint restarted"), reason)

        let down = try cloud.down()
        XCTAssertTrue(down.removedContainers.contains { $0.instanceId == instance.instanceId })
        XCTAssertEqual(down.stoppedMoto?.pid, restarted.moto.pid)
        XCTAssertFalse(Loopback.accepts(port: port), "the endpoint is stopped")
        XCTAssertNil(try LocalCloudFixture.podman().containerState(instance.instanceId))
        XCTAssertEqual(AWSProfileFiles.forEnvironment(environment).setting("endpoint_url", profile: "local"),
                       "http://127.0.0.1:\(port)", "down keeps the profile")
    }

    func testATakenPortIsOneSentenceAndStartsNothing() throws {
        let port = try Loopback.freePort()
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        XCTAssertEqual(bound, 0)
        XCTAssertEqual(listen(listener, 1), 0)

        XCTAssertThrowsError(try cloud.up(options(port))) { error in
            XCTAssertEqual("\(error)", "Port \(port) on 127.0.0.1 is already in use; choose another with --port.")
            XCTAssertEqual((error as? LocalCloudError)?.exitCode, 69)
        }
        XCTAssertNil(MotoService(paths: cloud.paths).record(), "no moto recorded")
        XCTAssertNil(AWSProfileFiles.forEnvironment(environment).setting("endpoint_url", profile: "local"), "no profile written")
    }

    func testWithoutMotoInstalledItSaysToRunSetup() throws {
        // A python without moto, as on a machine where scripts/setup never ran.
        let python = folder.appendingPathComponent("python-without-moto").path
        try "#!/bin/sh\necho \"$0: No module named moto\" >&2\nexit 1\n".write(toFile: python, atomically: true, encoding: .utf8)
        chmod(python, 0o755)
        var withoutMoto = environment
        withoutMoto["PYTHON"] = python
        let cloud = makeCloud(withoutMoto)
        XCTAssertThrowsError(try cloud.up(options(try Loopback.freePort()))) { error in
            XCTAssertTrue("\(error)".hasPrefix("moto is not installed"), "\(error)")
            XCTAssertTrue("\(error)".hasSuffix("run scripts/setup."), "\(error)")
        }
        XCTAssertNil(MotoService(paths: cloud.paths).record())
        XCTAssertNil(AWSProfileFiles.forEnvironment(environment).setting("endpoint_url", profile: "local"))
    }

    func testWithoutPodmanItSaysToRunSetupAndStartsNothing() throws {
        // A PATH where podman is not, as on a machine where scripts/setup never ran.
        let bin = folder.appendingPathComponent("empty-bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        var withoutPodman = environment
        withoutPodman["PATH"] = bin.path
        let cloud = makeCloud(withoutPodman)
        XCTAssertThrowsError(try cloud.up(options(try Loopback.freePort()))) { error in
            XCTAssertEqual("\(error)", "podman is not installed; run scripts/setup.")
            XCTAssertEqual((error as? LocalCloudError)?.exitCode, 78)
        }
        XCTAssertNil(MotoService(paths: cloud.paths).record())
        XCTAssertNil(AWSProfileFiles.forEnvironment(environment).setting("endpoint_url", profile: "local"))
    }

    func testAFailedDebootstrapLeavesNothingTaggedAndNoBuildFolder() throws {
        let reference = "localhost/ncaas-base:test-failed-\(getpid())"
        let paths = LocalCloudPaths(root: folder.appendingPathComponent("state").path)
        let builder = BaseImageBuilder(paths: paths, mirror: "http://127.0.0.1:1/debian", reference: reference)
        XCTAssertThrowsError(try builder.buildIfMissing()) { error in
            XCTAssertTrue("\(error)".hasPrefix("debootstrap failed, so the base image was not built"), "\(error)")
            XCTAssertTrue("\(error)".contains(paths.buildLog), "the sentence points at the log")
        }
        let podman = try LocalCloudFixture.podman()
        XCTAssertFalse(try podman.imageExists(reference))
        XCTAssertFalse(try podman.imageExists("\(BaseImageRecipe.buildingRepository):\(BaseImageRecipe.buildingTagPrefix)\(getpid())"))
        XCTAssertEqual((try? FileManager.default.contentsOfDirectory(atPath: paths.builds)) ?? [], [], "the build folder is removed")
    }
}
