import AWS
import Blueprint
import Foundation
import LosslessJSON
import SSH
import Support

/// `ncaas image build`: Packer's loop for a blueprint. Launch from the base image, upload the
/// blueprint folder and run its `setup.sh` with the output streamed, make the image, write it into
/// the blueprint with the two commits, terminate. On any failure or interruption the instance is
/// terminated and nothing is recorded as built (an image already made is deregistered);
/// `keepOnFailure` keeps a failed instance as the analysis's dev instance, for debugging.
public struct ImageBuild {
    public struct Options: Sendable {
        /// The image to start from (an AMI id or alias).
        public var baseImage: String
        public var instanceType: String
        public var imageName: String?
        public var message: String?
        public var keepOnFailure: Bool
        /// How long the build instance may live, in seconds.
        public var lifetime: TimeInterval
        /// Reuse the blueprint's image when it was built from the same folder (its build digest).
        public var ifChanged: Bool
        /// The subnet to build in (`--subnet`, else `ncaas.network.subnet`); nil: the default VPC.
        public var subnetId: String?

        public init(baseImage: String, instanceType: String, imageName: String? = nil, message: String? = nil,
                    keepOnFailure: Bool = false, lifetime: TimeInterval = 7200, ifChanged: Bool = false, subnetId: String? = nil) {
            self.subnetId = subnetId
            self.ifChanged = ifChanged
            self.baseImage = baseImage
            self.instanceType = instanceType
            self.imageName = imageName
            self.message = message
            self.keepOnFailure = keepOnFailure
            self.lifetime = lifetime
        }
    }

    public struct Result: Sendable {
        public var imageId: String
        /// nil when the existing image was reused.
        public var instanceId: String?
        /// nil when the existing image was reused.
        public var update: BlueprintAMIUpdate.Result?
        public var seconds: Double
        public var reused: Bool { update == nil }
    }

    /// Where the blueprint folder goes on the build instance.
    public static let remoteFolder = "ncaas-build"

    public var cloud: DevCloud
    public var progress: (String) -> Void
    /// setup.sh's output as it comes.
    public var output: (Data, Bool) -> Void

    public init(cloud: DevCloud, progress: @escaping (String) -> Void = { _ in }, output: @escaping (Data, _ isError: Bool) -> Void = { _, _ in }) {
        self.cloud = cloud
        self.progress = progress
        self.output = output
    }

    public func run(analysis: String, blueprintPath: String, options: Options) throws -> Result {
        let started = Date()
        let folder = (blueprintPath as NSString).deletingLastPathComponent
        let setup = (folder as NSString).appendingPathComponent("setup.sh")
        guard FileManager.default.fileExists(atPath: setup) else {
            throw DevError(.notFound, "\(setup) does not exist: write the commands that install the analysis there (they run as the image's login user, with sudo).")
        }
        if let finding = CredentialScan.firstFinding(in: (try? String(contentsOfFile: blueprintPath, encoding: .utf8)) ?? "") {
            throw DevError(.refused, "Not built: \(blueprintPath) holds \(finding); remove it (credentials never belong in a blueprint) and try again.")
        }
        let digest = try BuildDigest.of(folder: folder, excluding: (blueprintPath as NSString).lastPathComponent)
        if options.ifChanged, let current = try reusableImage(blueprintPath: blueprintPath, digest: digest) {
            progress("\(current) was built from the same folder (build digest \(digest.prefix(12))); reusing it")
            return Result(imageId: current, instanceId: nil, update: nil, seconds: Date().timeIntervalSince(started))
        }
        // The files the image is built from are recorded with the blueprint in two commits: each is
        // checked for credentials now, and a project that cannot hold the commits is refused now,
        // before anything is launched, not after setup.sh ran and the image was made.
        let buildFiles = try BlueprintAMIUpdate.buildFiles(folder: folder, blueprintPath: blueprintPath, refusal: "Not built")
        let baseId = try ImageReference.resolve(options.baseImage, on: cloud.ec2)
        let launcher = InstanceLauncher(cloud: cloud, progress: progress)
        var request = InstanceLauncher.Request(analysis: analysis, role: .imageBuild, imageId: baseId, instanceType: options.instanceType,
                                               lifetime: options.lifetime, shutdownBehavior: "terminate")
        request.subnetId = options.subnetId
        let launched = try launcher.launch(request)
        let instanceId = launched.instance.instanceId
        // The image made but not yet recorded in the blueprint: what a failure must take back.
        let unrecordedImage = LockedValue<String?>(nil)
        let cloud = self.cloud
        let dropUnrecordedImage = {
            if let image = unrecordedImage.value {
                _ = try? cloud.ec2.deregisterImage(image)
            }
        }
        let cleanup = {
            dropUnrecordedImage()
            try? cloud.terminate([instanceId])
        }
        return try InterruptCleanup.shared.guarding(cleanup) {
            do {
                progress("\(instanceId): uploading \(folder)")
                let sftp = try launched.session.sftp()
                _ = try sftp.uploadFolder(folder, to: Self.remoteFolder)
                progress("\(instanceId): running setup.sh")
                let status = try launched.session.exec("cd \(Self.remoteFolder) && bash ./setup.sh", stdout: { output($0, false) }, stderr: { output($0, true) })
                guard status.succeeded else {
                    throw DevError(.failed, "setup.sh failed on \(instanceId) (\(status.signal.map { "signal \($0)" } ?? "exit \(status.code)")); nothing was recorded.")
                }
                // The uploaded folder is not part of the image.
                _ = try? launched.session.exec("rm -rf \(Self.remoteFolder)", timeout: .seconds(60))
                let name = options.imageName ?? "ncaas-\(analysis)-\(DevLifecycle.stamp(cloud.now()))"
                progress("\(instanceId): creating the image \(name)")
                let made = try cloud.ec2.createImage(instanceId: instanceId, name: name, description: "ncaas image build: \(analysis)",
                                                     tagSpecifications: ImageTags.specifications(analysis: analysis, name: name, source: launched.instance,
                                                                                                 extra: [Tag(key: BuildDigest.tag, value: digest)]))
                unrecordedImage.value = made
                progress("\(made): waiting until it is available")
                try cloud.ec2.waitForImageAvailable(made, policy: WaiterPolicy(maxDelay: 10, timeout: 3600))
                let update = try BlueprintAMIUpdate.run(blueprintPath: blueprintPath, imageId: made, purpose: options.message,
                                                        source: "image build \(AnalysisHint.name(analysis))", buildFiles: buildFiles)
                unrecordedImage.value = nil  // recorded: keep it
                try cloud.terminate([instanceId])
                return Result(imageId: made, instanceId: instanceId, update: update, seconds: Date().timeIntervalSince(started))
            } catch {
                if options.keepOnFailure {
                    dropUnrecordedImage()
                    throw keep(launched, analysis: analysis, error: error)
                }
                cleanup()
                throw error
            }
        }
    }

    /// The blueprint's AMI when it is available on this endpoint and tagged with `digest`.
    private func reusableImage(blueprintPath: String, digest: String) throws -> String? {
        guard let data = FileManager.default.contents(atPath: blueprintPath),
              let ami = (try? JSONDocument(bytes: Array(data)))?.value(at: BlueprintAMIUpdate.amiPath)?.stringValue,
              MachineImage.isAMIID(ami) else { return nil }
        let images: [Image]
        do { images = try cloud.ec2.describeImages(imageIds: [ami]) } catch let error as AWSError where error.code.hasPrefix("InvalidAMIID") { return nil }
        guard let image = images.first, image.state == "available", image.tags.contains(Tag(key: BuildDigest.tag, value: digest)) else { return nil }
        return ami
    }

    /// Keeps the failed build instance as the analysis's dev instance, so `ncaas dev ssh/exec/terminate` reach it.
    private func keep(_ launched: InstanceLauncher.Launched, analysis: String, error: Error) -> Error {
        let id = launched.instance.instanceId
        let adopted = ((try? DevInstances(cloud: cloud).live(analysis).isEmpty) ?? false)
            && (try? cloud.ec2.createTags(resourceIds: [id], tags: [Tag(key: InstanceTags.role, value: InstanceTags.Role.dev.rawValue)])) != nil
        if adopted {
            try? cloud.records.save(DevRecord(analysis: analysis, instanceId: id, endpoint: cloud.endpoint, region: cloud.region,
                                              keyName: launched.keyName, launchedAt: launched.instance.launchDate ?? cloud.now(),
                                              expiresAt: launched.expiry))
        }
        let reach = adopted ? "reach it with `ncaas dev ssh \(AnalysisHint.name(analysis))` and end it with `ncaas dev terminate \(AnalysisHint.name(analysis)) --force`"
            : "reach it with `ssh \(launched.session.options.systemSSHArguments.joined(separator: " "))`"
        return DevError((error as? NCAASError)?.kind ?? .failed,
                        "\(error) The build instance \(id) was kept (--keep-on-failure) until \(InstanceTags.format(launched.expiry)): \(reach).")
    }
}
