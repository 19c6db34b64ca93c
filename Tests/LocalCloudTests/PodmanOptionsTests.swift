import LocalCloud
import TestSupport
import XCTest

final class PodmanOptionsTests: XCTestCase {
    func testTheOverrideSplitsTheRuntimeFromTheRunArguments() {
        let options = PodmanOptions.parse(" --runtime runc  --ulimit nofile=1024:1024 --ulimit=nproc=1024:1024 --root=/srv/store --runroot /run/x ")
        XCTAssertEqual(options.globalArguments, ["--runtime", "runc", "--root=/srv/store", "--runroot", "/run/x"])
        XCTAssertEqual(options.runArguments, ["--ulimit", "nofile=1024:1024", "--ulimit=nproc=1024:1024"])
        XCTAssertEqual(options.source, .environment)
    }

    func testTheOverrideWinsOverWhatWasDetected() throws {
        let store = FileManager.default.temporaryDirectory.appendingPathComponent("ncaas-podman-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: store) }
        try #"{"globalArguments":["--runtime","runc"],"runArguments":[],"source":"detected"}"#.write(toFile: store, atomically: true, encoding: .utf8)
        let remembered = PodmanOptionsResolver(runner: SystemCommandRunner(), environment: [:], storePath: store).known()
        XCTAssertEqual(remembered?.globalArguments, ["--runtime", "runc"])
        XCTAssertEqual(remembered?.source, .detected)
        let overridden = PodmanOptionsResolver(runner: SystemCommandRunner(), environment: ["NCAAS_PODMAN_ARGS": "--ulimit nofile=1024:1024"], storePath: store).known()
        XCTAssertEqual(overridden?.runArguments, ["--ulimit", "nofile=1024:1024"])
        XCTAssertEqual(overridden?.globalArguments, [])
    }

    func testDetectionFindsOptionsThatRunAContainer() throws {
        let podman = try LocalCloudFixture.podman()
        let result = try podman.runOnce([], image: BaseImageRecipe.reference, command: ["true"])
        XCTAssertTrue(result.succeeded, "podman run with the detected options (\(podman.options.summary)) failed: \(result.lastMessage)")
    }
}
