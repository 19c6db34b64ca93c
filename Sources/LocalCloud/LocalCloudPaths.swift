import Foundation

/// Where the local cloud keeps its state: `$NCAAS_LOCAL_DIR`, else `~/.ncaas/local`.
public struct LocalCloudPaths: Sendable, Equatable {
    public var root: String

    public init(root: String) {
        self.root = root
    }

    /// The folder for this process's environment.
    public static func forEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> LocalCloudPaths {
        if let folder = environment["NCAAS_LOCAL_DIR"], !folder.isEmpty { return LocalCloudPaths(root: folder) }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return LocalCloudPaths(root: home + "/.ncaas/local")
    }

    /// The emulator's output.
    public var motoLog: String { root + "/moto.log" }
    /// The running emulator: pid, port, endpoint (JSON).
    public var motoState: String { root + "/moto.json" }
    /// The emulator's ready line (its standard output).
    public var emulatorReady: String { root + "/emulator.json" }
    /// The emulator's own state: each instance's seed, host keys and console.
    public var emulatorState: String { root + "/emulator" }
    /// The `local` user's policy, as handed to the emulator.
    public var localPolicy: String { root + "/local-policy.json" }
    /// The podman options found by trying.
    public var podmanOptions: String { root + "/podman-options.json" }
    /// Base image builds in progress (each in its own sub-folder).
    public var builds: String { root + "/build" }
    /// The last base image build's log.
    public var buildLog: String { root + "/base-image-build.log" }
    /// Held by `ncaas local up` and `down` while they run.
    public var stateLock: String { root + "/state.lock" }
    /// Held while the base image is built. One per user, not per folder: podman's image
    /// store is shared by every local cloud (and every test) of the user.
    public static var baseImageBuildLock: String {
        FileManager.default.temporaryDirectory.appendingPathComponent("ncaas-base-image-build-\(getuid()).lock").path
    }

    /// Creates the folder (and parents) if missing.
    public func create() throws {
        do {
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        } catch {
            throw LocalCloudError(.failed, "Could not create the local cloud's folder \(root): \(error.localizedDescription).")
        }
    }
}
