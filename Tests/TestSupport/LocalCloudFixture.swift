import AWS
import Foundation
import LocalCloud

/// What the local cloud's integration tests share: podman (required: a missing podman fails
/// the test with a message, never skips it), the base image (built once per machine under a
/// lock shared by every test process, then reused), and this machine's podman options.
public enum LocalCloudFixture {
    /// A fixed folder, so every test process shares the build lock and the detected options.
    public static let paths = LocalCloudPaths(root: FileManager.default.temporaryDirectory.appendingPathComponent("ncaas-localcloud-tests").path)

    private static let lock = NSLock()
    nonisolated(unsafe) private static var ready: Result<PodmanOptions, Error>?

    /// Podman with this machine's options, after making sure the base image exists.
    public static func podman() throws -> Podman {
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

    /// An EC2 client for a test's endpoint, signing with its admin key.
    public static func ec2(_ moto: MotoServer) throws -> EC2Client {
        moto.client(moto.adminCredentials).ec2
    }

    /// The containers labelled with `endpoint` (what a test must leave at zero), counted once no
    /// instance of the endpoint is between states: as on EC2, a terminated instance is shutting-down
    /// for a while after TerminateInstances answers, and its container goes when it is terminated.
    public static func containerCount(endpoint: String, podman: Podman) throws -> Int {
        waitUntilSettled(endpoint: endpoint)
        return try podman.containers(withLabel: "\(LocalCloudTags.endpointLabel)=\(endpoint)").count
    }

    /// Waits (at most `timeout` seconds) until no instance of the endpoint is pending, stopping or
    /// shutting down, asking its emulator's control path.
    public static func waitUntilSettled(endpoint: String, timeout: TimeInterval = 60) {
        struct Known: Decodable {
            struct Entry: Decodable { var state: String }
            var instances: [Entry]
        }
        let transport = CurlTransport()
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            guard let response = try? transport.send(HTTPRequest(method: "GET", url: endpoint + "/_ncaas/instances")), response.status == 200,
                  let known = try? JSONDecoder().decode(Known.self, from: response.body) else { return }
            if !known.instances.contains(where: { ["pending", "stopping", "shutting-down"].contains($0.state) }) { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
    }

    /// Removes whatever a test left on `endpoint` (every container labelled with it, and the
    /// podman images of `createdImages`), then returns how many containers remain.
    public static func removeEverything(endpoint: String, createdImages: [String], podman: Podman) throws -> Int {
        for container in (try? podman.containers(withLabel: "\(LocalCloudTags.endpointLabel)=\(endpoint)")) ?? [] {
            try? podman.remove(container.name)
        }
        for image in createdImages { try? podman.removeImage(LocalCloudTags.createdImageReference(image)) }
        return try containerCount(endpoint: endpoint, podman: podman)
    }
}

