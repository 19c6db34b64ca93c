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

    /// An EC2 client for a test's moto, signing with its admin key.
    public static func ec2(_ moto: MotoServer) throws -> EC2Client {
        try LocalEndpoint.ec2(endpoint: moto.endpoint, region: moto.region,
                              accessKeyId: moto.adminCredentials.accessKeyId,
                              secretAccessKey: moto.adminCredentials.secretAccessKey)
    }

    /// The containers labelled with `endpoint` (what a test must leave at zero).
    public static func containerCount(endpoint: String, podman: Podman) throws -> Int {
        try podman.containers(withLabel: "\(LocalCloudTags.endpointLabel)=\(endpoint)").count
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

