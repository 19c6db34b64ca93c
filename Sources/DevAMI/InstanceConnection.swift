import AWS
import Foundation
import LocalCloud
import SSH

/// Reaching an instance over SSH as ncaas does: ncaas's key, the host keys pinned under the
/// instance id (learnt out of band where the backing can, else on first contact), and retries
/// while a freshly started sshd is not answering yet.
public struct InstanceConnection: Sendable {
    public var cloud: DevCloud
    public var keyPair: SSHKeyPair

    public init(cloud: DevCloud, keyPair: SSHKeyPair) {
        self.cloud = cloud
        self.keyPair = keyPair
    }

    /// How to reach `instance`; throws when it has no address (stopped, or not launched by ncaas).
    public func options(for instance: Instance) throws -> SSHConnectionOptions {
        guard let address = cloud.backing.sshAddress(of: instance) else {
            throw DevError(.unavailable, "The instance \(instance.instanceId) has no address (it is \(instance.state)); start it with `ncaas dev start`.")
        }
        let pinned = (try? cloud.knownHosts.keys(for: instance.instanceId).isEmpty == false) ?? false
        return SSHConnectionOptions(host: address.host, port: address.port, privateKeyPath: keyPair.privateKeyPath,
                                    knownHosts: cloud.knownHosts, hostKeyAlias: instance.instanceId,
                                    hostKeyPolicy: pinned ? .requirePinned : .pinOnFirstContact,
                                    connectTimeout: .seconds(10), operationTimeout: .seconds(60))
    }

    /// Pins the host keys the backing can read out of band (the local cloud reads them from inside
    /// the container), replacing older pins for this instance id.
    public func pinHostKeys(of instanceId: String) throws {
        let keys = try cloud.backing.hostPublicKeys(of: instanceId).compactMap(SSHPublicKey.init(openSSHLine:))
        guard !keys.isEmpty else { return }
        _ = try? cloud.knownHosts.forget(instanceId)
        for key in keys { try cloud.knownHosts.pin(key, for: instanceId) }
    }

    /// Opens a session, retrying refused and dropped connections until `timeout` seconds have passed
    /// (sshd on a new EC2 instance answers some seconds after the instance is running).
    public func connect(to instance: Instance, timeout: Double = 120) throws -> SSHSession {
        let options = try options(for: instance)
        let deadline = Date().addingTimeInterval(timeout)
        var delay = 0.2
        while true {
            do {
                return try SSHSession(options)
            } catch let error as SSHError where (error.kind == .connection || error.kind == .timeout) && Date() < deadline {
                Thread.sleep(forTimeInterval: delay)
                delay = min(delay * 1.5, 3)
            }
        }
    }
}
