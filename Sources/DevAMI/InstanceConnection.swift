import AWS
import Foundation
import SSH

/// Reaching an instance over SSH as ncaas does, on AWS and on the local cloud alike: at the address
/// EC2 reports (the public one, else the private one), on the cloud's SSH port, as the image's login
/// user, with ncaas's key; the host keys pinned under the instance id from its console output (trust
/// on first use only where the console has none, with a warning); retrying while a new instance's
/// sshd does not answer yet.
public struct InstanceConnection: Sendable {
    public var cloud: DevCloud
    public var keyPair: SSHKeyPair

    public init(cloud: DevCloud, keyPair: SSHKeyPair) {
        self.cloud = cloud
        self.keyPair = keyPair
    }

    /// The address ncaas reaches `instance` at: its public IP, else its private one (an instance in
    /// a subnet without public addresses, reached from inside the VPC); the private one first with
    /// `preferPrivate` (ncaas runs inside the VPC: the in-stack job manager).
    public static func address(of instance: Instance, preferPrivate: Bool = false) -> String? {
        let publicAddress = instance.publicIpAddress.flatMap { $0.isEmpty ? nil : $0 }
        let privateAddress = instance.privateIpAddress.flatMap { $0.isEmpty ? nil : $0 }
        return preferPrivate ? (privateAddress ?? publicAddress) : (publicAddress ?? privateAddress)
    }

    /// How to reach `instance`; throws when it has no address (stopped, or not running yet).
    public func options(for instance: Instance) throws -> SSHConnectionOptions {
        guard let host = Self.address(of: instance, preferPrivate: cloud.preferPrivateAddress) else {
            throw DevError(.unavailable, "The instance \(instance.instanceId) has no address (it is \(instance.state)); start it with `ncaas dev start`.")
        }
        let pinned = (try? cloud.knownHosts.keys(for: instance.instanceId).isEmpty == false) ?? false
        return SSHConnectionOptions(host: host, port: cloud.sshPort, user: instance.tag(LoginUser.tag) ?? LoginUser.fallback,
                                    privateKeyPath: keyPair.privateKeyPath, knownHosts: cloud.knownHosts,
                                    hostKeyAlias: instance.instanceId, hostKeyPolicy: pinned ? .requirePinned : .pinOnFirstContact,
                                    connectTimeout: .seconds(10), operationTimeout: .seconds(60))
    }

    /// Pins the host keys `instanceId` printed on its console, replacing older pins, waiting up to
    /// `wait` seconds for them to appear (EC2 posts console output shortly after boot). Returns
    /// false, with a warning, when the console has none by then: the key is then trusted on first use.
    @discardableResult
    public func pinHostKeys(of instanceId: String, wait: TimeInterval? = nil) throws -> Bool {
        let deadline = Date().addingTimeInterval(wait ?? cloud.consoleKeysWait)
        var delay = 0.03
        while true {
            let keys = ConsoleHostKeys.parse(try cloud.ec2.consoleOutput(instanceId: instanceId) ?? "")
            if !keys.isEmpty {
                _ = try? cloud.knownHosts.forget(instanceId)
                for key in keys { try cloud.knownHosts.pin(key, for: instanceId) }
                return true
            }
            if Date() >= deadline { break }
            Thread.sleep(forTimeInterval: delay)
            delay = min(delay * 1.5, 2)
        }
        cloud.warn("The console of \(instanceId) shows no SSH host keys, so its key is trusted on first use.")
        return false
    }

    /// Opens a session, retrying refused and dropped connections until `timeout` seconds have passed
    /// (sshd on a new instance answers some time after the instance is running), and a refused key
    /// for the first `authenticationGrace` seconds (cloud-init may install the key after sshd starts).
    public func connect(to instance: Instance, timeout: Double = 120, authenticationGrace: Double = 15) throws -> SSHSession {
        let options = try options(for: instance)
        let started = Date()
        let deadline = started.addingTimeInterval(timeout)
        var delay = 0.02
        while true {
            do {
                return try SSHSession(options)
            } catch let error as SSHError where Date() < deadline && (error.kind == .connection || error.kind == .timeout
                || (error.kind == .authentication && Date().timeIntervalSince(started) < authenticationGrace)) {
                Thread.sleep(forTimeInterval: delay)
                delay = min(delay * 1.5, 2)
            }
        }
    }
}
