import AWS
import Foundation

/// Where an instance's SSH server answers.
public struct SSHAddress: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    public var description: String { "\(host):\(port)" }
}

/// What makes EC2 instances real. Workflows (dev instances, jobs, fleets) make their EC2 calls
/// exactly as on AWS and then tell the backing what they did; on AWS the backing has nothing
/// to do, on the local cloud it starts, stops, commits and removes podman containers.
public protocol InstanceBacking: Sendable {
    /// After RunInstances. `publicKey` is the OpenSSH public key of the launch's key pair (EC2
    /// installs it from the key name; the local cloud needs the text); `shutdownBehavior` is
    /// the launch's InstanceInitiatedShutdownBehavior ("stop", the default, or "terminate").
    func launched(_ instances: [Instance], publicKey: String?, shutdownBehavior: String?) throws
    /// After StartInstances.
    func started(_ instanceIds: [String]) throws
    /// After StopInstances.
    func stopped(_ instanceIds: [String]) throws
    /// After TerminateInstances.
    func terminated(_ instanceIds: [String]) throws
    /// After CreateImage returned `imageId` for `instanceId`.
    func imageCreated(_ imageId: String, from instanceId: String) throws
    /// After DeregisterImage.
    func imageDeregistered(_ imageId: String) throws
    /// Makes instances that shut themselves down (`sudo shutdown -h now`) stopped or terminated
    /// on the endpoint, as EC2 does by their shutdown behavior. Returns the ids it changed.
    /// Call it when polling instances; on AWS there is nothing to do.
    func syncInstanceInitiatedShutdowns() throws -> [String]
    /// Where the instance's SSH server answers (nil when it has no address yet).
    func sshAddress(of instance: Instance) -> SSHAddress?
    /// Waits until the instance's SSH server greets, or throws when it cannot (the container
    /// died, the deadline passed).
    func waitUntilSSHReady(_ instance: Instance, timeout: Double) throws
    /// The instance's SSH host public keys ("ssh-ed25519 AAAA..." lines) learnt out of band,
    /// so the first connection can be checked rather than trusted; empty when the backing has
    /// no such channel (then the key is pinned on first contact).
    func hostPublicKeys(of instanceId: String) throws -> [String]
}

extension InstanceBacking {
    /// After RunInstances with the default shutdown behavior (stop).
    public func launched(_ instances: [Instance], publicKey: String?) throws {
        try launched(instances, publicKey: publicKey, shutdownBehavior: nil)
    }
}

/// The backing on AWS: EC2 makes the instances real; SSH answers on the public address, port 22.
public struct CloudInstanceBacking: InstanceBacking {
    public init() {}
    public func launched(_ instances: [Instance], publicKey: String?, shutdownBehavior: String?) throws {}
    public func syncInstanceInitiatedShutdowns() throws -> [String] { [] }
    public func started(_ instanceIds: [String]) throws {}
    public func stopped(_ instanceIds: [String]) throws {}
    public func terminated(_ instanceIds: [String]) throws {}
    public func imageCreated(_ imageId: String, from instanceId: String) throws {}
    public func imageDeregistered(_ imageId: String) throws {}
    public func sshAddress(of instance: Instance) -> SSHAddress? {
        (instance.publicIpAddress ?? instance.publicDnsName).map { SSHAddress(host: $0, port: 22) }
    }
    /// On AWS, readiness is the SSH module's connection retry's job.
    public func waitUntilSSHReady(_ instance: Instance, timeout: Double) throws {}
    public func hostPublicKeys(of instanceId: String) throws -> [String] { [] }
}

/// Chooses the backing for an EC2 client: an endpoint on loopback is a local cloud.
public enum InstanceBackings {
    /// - Throws: on a local endpoint, when podman cannot run containers with any known options.
    public static func backing(for ec2: EC2Client, podmanOptions: PodmanOptions? = nil,
                               paths: LocalCloudPaths = .forEnvironment()) throws -> any InstanceBacking {
        let url = try ec2.client.endpointURL(for: .ec2)
        guard isLoopback(url.base) else { return CloudInstanceBacking() }
        let resolver = PodmanOptionsResolver(runner: SystemCommandRunner(), environment: ProcessInfo.processInfo.environment,
                                             storePath: paths.podmanOptions)
        // Known (override or remembered), else detected now with the base image.
        let options = try podmanOptions ?? resolver.known() ?? resolver.resolve(testImage: BaseImageRecipe.reference)
        return PodmanInstanceBacking(ec2: ec2, podman: Podman(options: options), endpoint: url.base)
    }

    /// Whether an endpoint URL names this machine.
    public static func isLoopback(_ url: String) -> Bool {
        guard let host = URLComponents(string: url)?.host?.lowercased() else { return false }
        return host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }
}
