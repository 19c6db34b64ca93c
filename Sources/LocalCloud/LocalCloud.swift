import AWS
import Foundation

/// The local cloud: the emulator (moto, extended so that every EC2 instance is a podman container
/// booted like an EC2 instance) as the AWS endpoint, the base image, and the AWS CLI profile whose
/// user holds exactly the policy ncaas documents.
///
/// `up` starts what is missing and reuses what runs; `status` reports; `down` stops the
/// containers it started and the emulator, nothing else.
public struct LocalCloud: Sendable {
    public var paths: LocalCloudPaths
    public var runner: any CommandRunning
    public var environment: [String: String]
    public var profileFiles: AWSProfileFiles
    public var profileName: String

    /// - Parameter runner: nil: programs found on `environment`'s PATH.
    public init(paths: LocalCloudPaths = .forEnvironment(),
                runner: (any CommandRunning)? = nil,
                environment: [String: String] = ProcessInfo.processInfo.environment,
                profileFiles: AWSProfileFiles = .forEnvironment(),
                profileName: String = "local") {
        self.paths = paths
        self.runner = runner ?? SystemCommandRunner(searchPath: environment["PATH"] ?? "/usr/bin:/bin")
        self.environment = environment
        self.profileFiles = profileFiles
        self.profileName = profileName
    }

    var moto: MotoService { MotoService(paths: paths, python: environment["PYTHON"] ?? "python3") }
    var optionsResolver: PodmanOptionsResolver {
        PodmanOptionsResolver(runner: runner, environment: environment, storePath: paths.podmanOptions)
    }

    // MARK: up

    public struct UpOptions: Sendable {
        /// The port for the endpoint; nil: the last one used, else 5000, else any free one.
        public var port: Int?
        public var mirror: String
        /// The `local` user's IAM policy (the one ncaas documents).
        public var policy: String
        /// False: an account without a default VPC, as many institutional accounts are.
        public var defaultVPC: Bool

        public init(port: Int? = nil, mirror: String = BaseImageRecipe.defaultMirror, policy: String, defaultVPC: Bool = true) {
            self.port = port
            self.mirror = mirror
            self.policy = policy
            self.defaultVPC = defaultVPC
        }
    }

    public struct UpReport: Sendable {
        public var moto: MotoRecord
        /// False when moto was already running and was reused.
        public var startedMoto: Bool
        public var baseImage: BaseImageBuilder.Report
        public var podmanOptions: PodmanOptions
        public var aliases: [(alias: String, imageId: String)]
        /// The port sshd answers on, on each instance's address (22 unless this machine's is taken).
        public var sshPort: Int
        public var profileName: String
        public var profileFiles: AWSProfileFiles
        public var motoLog: String
        public var buildLog: String
        public var seconds: Double
    }

    /// Starts the local cloud, or checks and reuses the parts already running.
    public func up(_ options: UpOptions, progress: (String) -> Void = { _ in }) throws -> UpReport {
        let start = Date()
        guard runner.isInstalled("podman") else {
            throw LocalCloudError(.missingTool, "podman is not installed; run scripts/setup.")
        }
        try paths.create()
        // One `up` or `down` at a time per local cloud: two at once would both start moto.
        let lock = try FileLock(path: paths.stateLock)
        defer { lock.unlock() }
        let running = moto.running().flatMap { Loopback.accepts(port: $0.port) ? $0 : nil }
        if let running, let wanted = options.port, wanted != running.port {
            throw LocalCloudError(.unavailable, "The local cloud already runs on port \(running.port); run `ncaas local down` first to move it to port \(wanted).")
        }
        if let port = options.port, !(1...65535).contains(port) {
            throw LocalCloudError(.configuration, "--port must be between 1 and 65535, not \(port).")
        }
        if let running, (running.defaultVPC ?? true) != options.defaultVPC {
            throw LocalCloudError(.unavailable, "The local cloud already runs \(options.defaultVPC ? "without" : "with") a default VPC; run `ncaas local down` first to start it \(options.defaultVPC ? "with" : "without") one.")
        }

        // The slow part first, so that a failed build leaves nothing started.
        let builder = BaseImageBuilder(runner: runner, paths: paths, mirror: options.mirror, environment: environment)
        let baseImage = try builder.buildIfMissing(progress: progress)

        var record: MotoRecord
        var startedMoto = false
        var aliases: [String: String]
        var user: EmulatorReady.User
        if let running, let ready = moto.readyLine() {
            record = running
            aliases = ready.aliases
            user = ready.user
            progress("the endpoint already answers at \(running.endpoint) (pid \(running.pid))")
        } else {
            let port = try options.port ?? chooseDefaultPort()
            moto.stop()  // a stale record (its process is gone or no longer answers)
            let sshPort = SSHPortChoice.choose(progress: progress)
            progress("starting the endpoint on 127.0.0.1:\(port)")
            let started = try moto.start(MotoService.Launch(port: port, sshPort: sshPort, policy: options.policy,
                                                            defaultVPC: options.defaultVPC, baseImage: BaseImageRecipe.reference))
            record = started.record
            aliases = started.ready.aliases
            user = started.ready.user
            startedMoto = true
        }
        do {
            var settings = [("region", record.region), ("endpoint_url", record.endpoint)]
            if let sshPort = record.sshPort, sshPort != 22 { settings.append(("ncaas_ssh_port", String(sshPort))) }
            try profileFiles.write(profile: profileName, settings: settings,
                                   credentials: [("aws_access_key_id", user.accessKeyId), ("aws_secret_access_key", user.secretAccessKey)])
        } catch {
            if startedMoto { moto.stop() }
            if let error = error as? LocalCloudError { throw error }
            throw LocalCloudError(.failed, "Could not write the profile \(profileName): \(error)")
        }
        return UpReport(moto: record, startedMoto: startedMoto, baseImage: baseImage,
                        podmanOptions: baseImage.podmanOptions, aliases: aliases.sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
                        sshPort: record.sshPort ?? 22, profileName: profileName, profileFiles: profileFiles, motoLog: paths.motoLog,
                        buildLog: paths.buildLog, seconds: Date().timeIntervalSince(start))
    }

    func chooseDefaultPort() throws -> Int {
        if let previous = moto.record()?.port, Loopback.isFree(previous) { return previous }
        if Loopback.isFree(MotoService.defaultPort) { return MotoService.defaultPort }
        return try Loopback.freePort()
    }

    // MARK: status

    public struct StatusReport: Sendable {
        public var moto: MotoRecord?
        public var motoAnswers: Bool
        /// Base aliases and their AMIs, when the endpoint runs.
        public var aliases: [String: String]
        /// The endpoint the profile points at, if the profile exists.
        public var profileEndpoint: String?
        public var baseImageSize: Int64?
        public var createdImages: [String]
        public var podmanOptions: PodmanOptions?
        public var podmanInstalled: Bool
        public var containers: [LocalInstanceContainer]
        public var orphans: [LocalInstanceContainer] { containers.filter(\.isOrphan) }
    }

    public func status() throws -> StatusReport {
        let podman = Podman(runner: runner, options: optionsResolver.known() ?? PodmanOptions())
        let record = moto.record()
        let alive = record.map { DetachedProcess.isAlive($0.pid, commandContains: MotoService.commandMarker) && Loopback.accepts(port: $0.port) } ?? false
        var report = StatusReport(moto: record, motoAnswers: alive, aliases: alive ? (moto.readyLine()?.aliases ?? [:]) : [:],
                                  profileEndpoint: profileFiles.setting("endpoint_url", profile: profileName),
                                  baseImageSize: nil, createdImages: [], podmanOptions: optionsResolver.known(),
                                  podmanInstalled: podman.isInstalled, containers: [])
        guard report.podmanInstalled else { return report }
        report.baseImageSize = try podman.imageSize(BaseImageRecipe.reference)
        report.createdImages = try podman.imageTags(repository: LocalCloudTags.createdImageRepository)
        report.containers = try LocalInstanceSurvey(podman: podman).survey()
        return report
    }

    // MARK: down

    public struct DownReport: Sendable {
        public var removedContainers: [LocalInstanceContainer]
        /// Containers of other local endpoints that are still running (tests, another cloud): left alone.
        public var keptContainers: [LocalInstanceContainer]
        public var stoppedMoto: MotoRecord?
        public var profileName: String
        public var profileFiles: AWSProfileFiles
    }

    /// Removes the containers of this local cloud's endpoint and every orphan, then stops the endpoint.
    /// The profile, the base image and the images ncaas created stay.
    public func down() throws -> DownReport {
        let podman = Podman(runner: runner, options: optionsResolver.known() ?? PodmanOptions())
        try paths.create()
        let lock = try FileLock(path: paths.stateLock)
        defer { lock.unlock() }
        let endpoint = moto.record()?.endpoint
        var removed: [LocalInstanceContainer] = []
        var kept: [LocalInstanceContainer] = []
        if podman.isInstalled {
            for entry in try LocalInstanceSurvey(podman: podman).survey() {
                if entry.endpoint == endpoint || entry.isOrphan {
                    try podman.remove(entry.container.name)
                    removed.append(entry)
                } else {
                    kept.append(entry)
                }
            }
        }
        let stopped = moto.stop()
        return DownReport(removedContainers: removed, keptContainers: kept, stoppedMoto: stopped,
                          profileName: profileName, profileFiles: profileFiles)
    }
}
