import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Builds the base image (see `BaseImageRecipe`) once.
///
/// The build happens in a folder of its own under the local cloud's `build/` folder and is
/// imported under a temporary tag (`localhost/ncaas-base:building-<pid>`); only after a
/// container from it has started sshd is it tagged `BaseImageRecipe.reference`. A failure or
/// Ctrl-C part way leaves nothing tagged as good, and the next build (which holds the build
/// lock, so nothing else is building) first removes what a previous one left behind.
public struct BaseImageBuilder: Sendable {
    public var runner: any CommandRunning
    public var paths: LocalCloudPaths
    public var mirror: String
    public var environment: [String: String]
    /// The tag a finished build gets (`BaseImageRecipe.reference` but in tests).
    public var reference: String

    public init(runner: any CommandRunning = SystemCommandRunner(), paths: LocalCloudPaths,
                mirror: String = BaseImageRecipe.defaultMirror,
                environment: [String: String] = ProcessInfo.processInfo.environment,
                reference: String = BaseImageRecipe.reference) {
        self.runner = runner
        self.paths = paths
        self.mirror = mirror
        self.environment = environment
        self.reference = reference
    }

    /// What a build did.
    public struct Report: Sendable {
        /// False when another process finished the image while this one waited for the lock.
        public var built: Bool
        public var seconds: Double
        public var podmanOptions: PodmanOptions
    }

    /// Builds the image unless it exists. `progress` gets one line per step.
    public func buildIfMissing(progress: (String) -> Void = { _ in }) throws -> Report {
        let start = Date()
        try paths.create()
        let resolver = PodmanOptionsResolver(runner: runner, environment: environment, storePath: paths.podmanOptions)
        // Global options (`--runtime`, `--root`) apply to every podman call, run options only to `run`.
        let podman = Podman(runner: runner, options: resolver.known() ?? PodmanOptions())
        guard podman.isInstalled else { throw LocalCloudError(.missingTool, "podman is not installed; run scripts/setup.") }
        if try podman.imageExists(reference) {
            return Report(built: false, seconds: 0, podmanOptions: try resolver.resolve(testImage: reference))
        }
        guard runner.isInstalled("debootstrap") else {
            throw LocalCloudError(.missingTool, "debootstrap is not installed (needed once, to build the base image); run scripts/setup.")
        }
        let sudo = try privilegePrefix()
        progress("waiting for the build lock \(LocalCloudPaths.baseImageBuildLock)")
        let lock = try FileLock(path: LocalCloudPaths.baseImageBuildLock)
        defer { lock.unlock() }
        if try podman.imageExists(reference) {
            return Report(built: false, seconds: Date().timeIntervalSince(start),
                          podmanOptions: try resolver.resolve(testImage: reference))
        }
        try removeLeftovers(podman: podman, sudo: sudo)

        let folder = paths.builds + "/\(getpid())"
        let rootfs = folder + "/rootfs"
        let temporaryTag = "\(BaseImageRecipe.buildingRepository):\(BaseImageRecipe.buildingTagPrefix)\(getpid())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try? FileManager.default.removeItem(atPath: paths.buildLog)
        var succeeded = false
        defer {
            if !succeeded {
                try? podman.removeImage(temporaryTag)
            }
            removeFolder(folder, sudo: sudo)
        }

        progress("debootstrap \(BaseImageRecipe.suite) minbase + \(BaseImageRecipe.packages.joined(separator: ", ")) (about a minute; log: \(paths.buildLog))")
        let debootstrap = try privileged(sudo, "debootstrap", [
            "--variant=minbase", "--include=" + BaseImageRecipe.packages.joined(separator: ","),
            BaseImageRecipe.suite, rootfs, mirror,
        ], logPath: paths.buildLog)
        guard debootstrap.succeeded else {
            throw LocalCloudError(.failed, "debootstrap failed, so the base image was not built (\(debootstrap.lastMessage); full log: \(paths.buildLog)).")
        }

        progress("configuring sshd")
        let configure = try privileged(sudo, "chroot", [rootfs, "/bin/sh", "-c", BaseImageRecipe.configureScript])
        guard configure.succeeded else {
            throw LocalCloudError(.failed, "Configuring the base image failed: \(configure.lastMessage).")
        }

        progress("importing into podman as \(temporaryTag)")
        let tar = (sudo + ["tar", "--numeric-owner", "-C", rootfs, "-c", "."]).map(Self.shellQuoted).joined(separator: " ")
        let importCommand = (["podman"] + podman.options.globalArguments + [
            "import", "--change", "CMD [\"/bin/sh\"]", "--change", "USER root", "-", temporaryTag,
        ]).map(Self.shellQuoted).joined(separator: " ")
        let imported = try runner.run("bash", ["-c", "set -o pipefail; \(tar) | \(importCommand)"])
        guard imported.succeeded else {
            throw LocalCloudError(.failed, "podman could not import the base image: \(imported.lastMessage).")
        }

        progress("checking that a container from it starts sshd")
        let options = try resolver.resolve(testImage: temporaryTag)
        try verify(image: temporaryTag, podman: Podman(runner: runner, options: options))

        try podman.tag(temporaryTag, as: reference)
        succeeded = true
        try? podman.removeImage(temporaryTag)
        progress("tagged \(reference)")
        return Report(built: true, seconds: Date().timeIntervalSince(start), podmanOptions: options)
    }

    /// Starts a container from `image` with sshd (and a throwaway host key) on a free loopback port
    /// and waits for its banner.
    func verify(image: String, podman: Podman) throws {
        let port = try Loopback.freePort()
        let name = "ncaas-base-check-\(getpid())"
        try? podman.remove(name)
        defer { try? podman.remove(name) }
        _ = try podman.runDetached(["--name", name, "--network", "host"], image: image, command: [
            "sh", "-c", "mkdir -p /run/sshd && ssh-keygen -q -t ed25519 -N '' -f /tmp/check_key && exec /usr/sbin/sshd -D -e -h /tmp/check_key -o ListenAddress=127.0.0.1 -p \(port)",
        ])
        guard Loopback.waitForSSH(port: port, deadline: Date().addingTimeInterval(20),
                                  stillAlive: { (try? podman.containerState(name)) == "running" }) else {
            throw LocalCloudError(.failed, "The new base image did not start sshd: \(podman.logTail(name)).")
        }
    }

    /// Temporary tags and build folders of earlier builds that did not finish.
    func removeLeftovers(podman: Podman, sudo: [String]) throws {
        let prefix = "\(BaseImageRecipe.buildingRepository):\(BaseImageRecipe.buildingTagPrefix)"
        for tag in try podman.imageTags(repository: BaseImageRecipe.buildingRepository) where tag.hasPrefix(prefix) {
            // Another process's build in progress is not a leftover.
            if let pid = Int32(tag.dropFirst(prefix.count)), pid != getpid(), kill(pid, 0) == 0 { continue }
            try? podman.removeImage(tag)
        }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: paths.builds)) ?? []
        for entry in entries { removeFolder(paths.builds + "/" + entry, sudo: sudo) }
    }

    /// Unmounts anything a killed debootstrap left mounted inside `folder`, then removes it
    /// without crossing into other file systems.
    func removeFolder(_ folder: String, sudo: [String]) {
        guard FileManager.default.fileExists(atPath: folder) else { return }
        let mounts = (try? String(contentsOfFile: "/proc/mounts", encoding: .utf8)) ?? ""
        let inside = mounts.split(separator: "\n").compactMap { line -> String? in
            let fields = line.split(separator: " ")
            guard fields.count > 1 else { return nil }
            let point = String(fields[1]).replacingOccurrences(of: "\\040", with: " ")
            return point.hasPrefix(folder + "/") ? point : nil
        }
        for point in inside.sorted(by: { $0.count > $1.count }) {
            _ = try? privileged(sudo, "umount", ["-l", point])
        }
        _ = try? privileged(sudo, "rm", ["-rf", "--one-file-system", folder])
    }

    /// Empty when running as root; `sudo -n` otherwise (debootstrap and chroot need root).
    func privilegePrefix() throws -> [String] {
        if geteuid() == 0 { return [] }
        guard runner.isInstalled("sudo") else {
            throw LocalCloudError(.missingTool, "Building the base image needs root (debootstrap, chroot): run `ncaas local up` as root once, or install sudo.")
        }
        return ["sudo"]
    }

    func privileged(_ sudo: [String], _ command: String, _ arguments: [String], logPath: String? = nil) throws -> CommandResult {
        guard let first = sudo.first else { return try runner.run(command, arguments, environment: [:], logPath: logPath) }
        return try runner.run(first, Array(sudo.dropFirst()) + [command] + arguments, environment: [:], logPath: logPath)
    }

    static func shellQuoted(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
