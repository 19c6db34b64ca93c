import AWS
import Foundation
import Support

/// The local cloud's backing: one podman container per instance, named after the instance id
/// and labelled with it and with the endpoint; one podman image per AMI ncaas created.
///
/// Each container shares the host's network and runs the image's boot script, which starts
/// sshd on the instance's own loopback port. The port is recorded as the instance's
/// `ncaas:ssh-port` tag, so the address can be rebuilt from the endpoint alone.
public struct PodmanInstanceBacking: InstanceBacking {
    public var ec2: EC2Client
    public var podman: Podman
    /// The EC2 endpoint the instances live on (a container label, for finding orphans).
    public var endpoint: String

    /// Where each instance's host keys live on this machine (`<folder>/<instance id>/`), bind-mounted
    /// as the instance's host key folder: its boot script makes them there at first boot, they
    /// survive stop and start, are never part of an image, and are read here without entering the
    /// container.
    public var hostKeysFolder: String

    public init(ec2: EC2Client, podman: Podman, endpoint: String, hostKeysFolder: String = LocalCloudPaths.forEnvironment().hostKeys) {
        self.ec2 = ec2
        self.podman = podman
        self.endpoint = endpoint
        self.hostKeysFolder = hostKeysFolder
    }

    /// The instance's host key folder on this machine.
    func hostKeys(of instanceId: String) -> String { hostKeysFolder + "/" + instanceId }

    /// Starts one container per instance, several at once (a fleet or a job's datasets); throws
    /// the first failure after every start has finished.
    public func launched(_ instances: [Instance], publicKey: String?, shutdownBehavior: String?) throws {
        var imageForAMI: [String: String] = [:]
        for imageId in Set(instances.map(\.imageId)) { imageForAMI[imageId] = try podmanImage(forAMI: imageId) }
        let firstError = LockedValue<Error?>(nil)
        EachOnItsOwnThread.run(instances.count) { index in
            do {
                try startContainer(for: instances[index], image: imageForAMI[instances[index].imageId]!, publicKey: publicKey,
                                   shutdownBehavior: shutdownBehavior ?? "stop")
            } catch {
                firstError.withLock { if $0 == nil { $0 = error } }
            }
        }
        if let error = firstError.value { throw error }
    }

    /// The podman image backing an AMI: its `ncaas:podman-image` tag, else the image ncaas
    /// committed for it. Throws when neither exists here.
    public func podmanImage(forAMI imageId: String) throws -> String {
        let tagged = try ec2.describeImages(imageIds: [imageId]).first?.tags
            .first { $0.key == LocalCloudTags.podmanImage }?.value
        let candidate = tagged ?? LocalCloudTags.createdImageReference(imageId)
        guard try podman.imageExists(candidate) else {
            if candidate == BaseImageRecipe.reference {
                throw LocalCloudError(.failed, "The base image \(BaseImageRecipe.reference) is missing; run `ncaas local up` to build it.")
            }
            throw LocalCloudError(.failed, "The AMI \(imageId) has no podman image on this machine; launch from a base alias (ubuntu18, ubuntu16, dlami18, debian12) or an image ncaas created on this local cloud.")
        }
        return candidate
    }

    func startContainer(for instance: Instance, image: String, publicKey: String?, shutdownBehavior: String) throws {
        let name = instance.instanceId
        do {
            try FileManager.default.createDirectory(atPath: hostKeys(of: name), withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw LocalCloudError(.failed, "Could not make the host key folder \(hostKeys(of: name)): \(error.localizedDescription).")
        }
        let port = try Loopback.freePort()
        try ec2.createTags(resourceIds: [name], tags: [Tag(key: LocalCloudTags.sshPort, value: String(port))])
        var arguments = [
            "--name", name, "--hostname", name,
            "--label", "\(LocalCloudTags.instanceLabel)=\(name)",
            "--label", "\(LocalCloudTags.endpointLabel)=\(endpoint)",
            "--label", "\(LocalCloudTags.imageLabel)=\(instance.imageId)",
            "--label", "\(LocalCloudTags.shutdownBehaviorLabel)=\(shutdownBehavior)",
            "--network", "host",
            "-v", "\(hostKeys(of: name)):\(BaseImageRecipe.hostKeyFolder)",
            "-e", "\(BaseImageRecipe.Environment.sshPort)=\(port)",
            "-e", "\(BaseImageRecipe.Environment.instanceId)=\(name)",
        ]
        arguments += Self.hostTrustMounts
        if let publicKey = publicKey?.trimmingCharacters(in: .whitespacesAndNewlines), !publicKey.isEmpty {
            arguments += ["-e", "\(BaseImageRecipe.Environment.authorizedKey)=\(publicKey)"]
        }
        do {
            _ = try podman.runDetached(arguments, image: image, command: [BaseImageRecipe.bootPath])
        } catch {
            // Launched before (a retried call): the container exists; make sure it runs. (Checking
            // first would cost a podman call on every launch.)
            guard let state = try podman.containerState(name) else { throw error }
            if let existing = try podman.containerEnvironment(name)[BaseImageRecipe.Environment.sshPort] {
                try ec2.createTags(resourceIds: [name], tags: [Tag(key: LocalCloudTags.sshPort, value: existing)])
            }
            if state != "running" { try podman.start(name) }
        }
    }

    /// The host's CA bundle, mounted read-only over the instance's: instances trust what this
    /// machine trusts, so a TLS-inspecting proxy (a company's, or a sandbox's) works inside them as
    /// it does outside. A bind mount is never part of an image made from the instance.
    static var hostTrustMounts: [String] {
        let bundle = "/etc/ssl/certs/ca-certificates.crt"
        return FileManager.default.isReadableFile(atPath: bundle) ? ["-v", "\(bundle):\(bundle):ro"] : []
    }

    public func started(_ instanceIds: [String]) throws {
        for id in instanceIds where try podman.containerState(id) != "running" {
            guard try podman.containerState(id) != nil else {
                throw LocalCloudError(.failed, "The instance \(id) has no container to start (was it launched through ncaas on this machine?).")
            }
            try podman.start(id)
        }
    }

    public func stopped(_ instanceIds: [String]) throws {
        for id in instanceIds where try podman.containerState(id) == "running" {
            try podman.stop(id)
        }
    }

    public func terminated(_ instanceIds: [String]) throws {
        for id in instanceIds {
            try podman.remove(id)
            try? FileManager.default.removeItem(atPath: hostKeys(of: id))
        }
    }

    public func imageCreated(_ imageId: String, from instanceId: String) throws {
        guard try podman.containerState(instanceId) != nil else {
            throw LocalCloudError(.failed, "The instance \(instanceId) has no container to make the image \(imageId) from.")
        }
        let reference = LocalCloudTags.createdImageReference(imageId)
        try podman.commit(instanceId, as: reference)
        try ec2.createTags(resourceIds: [imageId], tags: [Tag(key: LocalCloudTags.podmanImage, value: reference)])
    }

    public func imageDeregistered(_ imageId: String) throws {
        try podman.removeImage(LocalCloudTags.createdImageReference(imageId))
    }

    public func syncInstanceInitiatedShutdowns() throws -> [String] {
        let exited = try podman.containers(withLabel: "\(LocalCloudTags.endpointLabel)=\(endpoint)")
            .filter { !$0.isRunning && $0.labels[LocalCloudTags.instanceLabel] != nil }
        guard !exited.isEmpty else { return [] }
        let ids = exited.compactMap { $0.labels[LocalCloudTags.instanceLabel] }
        let states = Dictionary(try ec2.describeInstances(instanceIds: ids).map { ($0.instanceId, $0.state) },
                                uniquingKeysWith: { first, _ in first })
        var changed: [String] = []
        for container in exited {
            guard let id = container.labels[LocalCloudTags.instanceLabel],
                  let state = states[id], state == "running" || state == "pending" else { continue }
            if container.labels[LocalCloudTags.shutdownBehaviorLabel] == "terminate" {
                _ = try ec2.terminateInstances([id])
                try podman.remove(id)
            } else {
                _ = try ec2.stopInstances([id])
            }
            changed.append(id)
        }
        return changed
    }

    /// Read from the instance's host key folder on this machine (the boot script made them there),
    /// never over the network. Falls back to reading inside the container for an instance started
    /// before host key folders were bind-mounted.
    public func hostPublicKeys(of instanceId: String) throws -> [String] {
        let folder = hostKeys(of: instanceId)
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".pub") }.sorted()
        let text: String
        if files.isEmpty {
            text = try podman.checked(["exec", instanceId, "sh", "-c", "cat \(BaseImageRecipe.hostKeyFolder)/*.pub"],
                                      "read the host keys of \(instanceId)")
        } else {
            text = files.compactMap { try? String(contentsOfFile: folder + "/" + $0, encoding: .utf8) }.joined(separator: "\n")
        }
        return text.split(separator: "\n").map { line in
            // Type and key only; the comment is the instance id.
            line.split(separator: " ").prefix(2).joined(separator: " ")
        }.filter { !$0.isEmpty }
    }

    public func sshAddress(of instance: Instance) -> SSHAddress? {
        guard let port = instance.tag(LocalCloudTags.sshPort).flatMap(Int.init) else { return nil }
        return SSHAddress(host: "127.0.0.1", port: port)
    }

    public func waitUntilSSHReady(_ instance: Instance, timeout: Double) throws {
        var address = sshAddress(of: instance)
        if address == nil {
            address = try ec2.describeInstances(instanceIds: [instance.instanceId]).first.flatMap(sshAddress(of:))
        }
        guard let address else {
            throw LocalCloudError(.failed, "The instance \(instance.instanceId) has no \(LocalCloudTags.sshPort) tag; it was not launched through the local cloud's backing.")
        }
        let name = instance.instanceId
        var lastCheck = Date()
        var alive = true
        let ready = Loopback.waitForSSH(port: address.port, deadline: Date().addingTimeInterval(timeout)) {
            // Asking podman costs a process; ask at most every half second.
            if Date().timeIntervalSince(lastCheck) > 0.5 {
                lastCheck = Date()
                alive = (try? podman.containerState(name)) == "running"
            }
            return alive
        }
        guard ready else {
            let log = podman.logTail(name, lines: 3).replacingOccurrences(of: "\n", with: " / ")
            if !alive {
                throw LocalCloudError(.failed, "The container of instance \(name) exited before sshd answered\(log.isEmpty ? "" : ": \(log)").")
            }
            throw LocalCloudError(.failed, "sshd of instance \(name) did not answer on \(address) within \(Int(timeout)) seconds\(log.isEmpty ? "" : " (container log: \(log))").")
        }
    }
}
