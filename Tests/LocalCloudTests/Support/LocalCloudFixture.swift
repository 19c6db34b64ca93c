import AWS
import Foundation
import LocalCloud
import TestSupport
import XCTest

/// What the local cloud's integration tests share: podman (required: a missing podman fails
/// the test with a message, never skips it), the base image (built once per machine under a
/// lock shared by every test process, then reused), and this machine's podman options.
enum LocalCloudFixture {
    /// A fixed folder, so every test process shares the build lock and the detected options.
    static let paths = LocalCloudPaths(root: FileManager.default.temporaryDirectory.appendingPathComponent("ncaas-localcloud-tests").path)

    private static let lock = NSLock()
    nonisolated(unsafe) private static var ready: Result<PodmanOptions, Error>?

    /// Podman with this machine's options, after making sure the base image exists.
    static func podman() throws -> Podman {
        lock.lock()
        defer { lock.unlock() }
        if ready == nil {
            ready = Result {
                let runner = SystemCommandRunner()
                guard runner.isInstalled("podman") else {
                    throw TestSupportError("podman is not installed; run scripts/setup (the local cloud tests need real containers).")
                }
                guard runner.isInstalled("ssh"), runner.isInstalled("ssh-keygen") else {
                    throw TestSupportError("the OpenSSH client is not installed; run scripts/setup.")
                }
                let report = try BaseImageBuilder(paths: paths).buildIfMissing { print("base image: \($0)") }
                if report.built { print(String(format: "base image built in %.1f s", report.seconds)) }
                return report.podmanOptions
            }
        }
        return Podman(options: try ready!.get())
    }

    /// An EC2 client for a test's moto, signing with its admin key.
    static func ec2(_ moto: MotoServer) throws -> EC2Client {
        try LocalEndpoint.ec2(endpoint: moto.endpoint, region: moto.region,
                              accessKeyId: moto.adminCredentials.accessKeyId,
                              secretAccessKey: moto.adminCredentials.secretAccessKey)
    }

    /// The containers labelled with `endpoint` (what a test must leave at zero).
    static func containerCount(endpoint: String, podman: Podman) throws -> Int {
        try podman.containers(withLabel: "\(LocalCloudTags.endpointLabel)=\(endpoint)").count
    }

    /// Removes whatever a test left on `endpoint` (every container labelled with it, and the
    /// podman images of `createdImages`), then returns how many containers remain.
    static func removeEverything(endpoint: String, createdImages: [String], podman: Podman) throws -> Int {
        for container in (try? podman.containers(withLabel: "\(LocalCloudTags.endpointLabel)=\(endpoint)")) ?? [] {
            try? podman.remove(container.name)
        }
        for image in createdImages { try? podman.removeImage(LocalCloudTags.createdImageReference(image)) }
        return try containerCount(endpoint: endpoint, podman: podman)
    }
}

/// A key pair made with ssh-keygen in a temporary folder, and a known-hosts file for pinning.
final class TestKeys {
    let folder: URL
    let privateKey: String
    let publicKey: String
    let knownHosts: String

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("ncaas-lc-keys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        privateKey = folder.appendingPathComponent("id_ed25519").path
        knownHosts = folder.appendingPathComponent("known_hosts").path
        let made = try ProcessRunner.run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "ncaas-test", "-f", privateKey])
        guard made.succeeded else { throw TestSupportError("ssh-keygen failed: \(made.stderr)") }
        publicKey = try String(contentsOfFile: privateKey + ".pub", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        _ = FileManager.default.createFile(atPath: knownHosts, contents: nil)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    /// Pins the instance's host keys, as the backing learnt them out of band, for
    /// `127.0.0.1:port` (replacing an earlier pin for that address). Returns the ed25519 key.
    func pin(_ instanceId: String, port: Int, backing: any InstanceBacking) throws -> String {
        let keys = try backing.hostPublicKeys(of: instanceId)
        guard let ed25519 = keys.first(where: { $0.hasPrefix("ssh-ed25519 ") }) else {
            throw TestSupportError("no ed25519 host key among \(keys)")
        }
        let lines = keys.map { "[127.0.0.1]:\(port) \($0)\n" }.joined()
        try lines.write(toFile: knownHosts, atomically: true, encoding: .utf8)
        return ed25519
    }

    /// Runs `command` as ubuntu over the system ssh client, host key checked strictly.
    func ssh(port: Int, _ command: String) throws -> ProcessResult {
        try ProcessRunner.run("ssh", [
            "-i", privateKey, "-p", String(port),
            "-o", "UserKnownHostsFile=\(knownHosts)", "-o", "StrictHostKeyChecking=yes",
            "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-o", "ConnectTimeout=10",
            "-o", "LogLevel=ERROR",
            "ubuntu@127.0.0.1", command,
        ], timeout: 60)
    }
}
