import AWS
import Foundation
import SSH

/// What every dev workflow shares, built once per command: the EC2 client, ncaas's home folder,
/// how instances are reached, and the clock. The same on AWS and on the local cloud: instances are
/// reached at the address EC2 reports, on the SSH port, as the image's login user.
public struct DevCloud: Sendable {
    public var ec2: EC2Client
    public var home: NCAASHome
    /// The EC2 endpoint URL (records are kept per endpoint).
    public var endpoint: String
    public var region: String
    /// The port sshd answers on: 22, unless the profile (`ncaas_ssh_port`) or `NCAAS_SSH_PORT` says
    /// the instances serve SSH elsewhere.
    public var sshPort: Int
    /// How long to wait for an instance's console to show its host keys before trusting the key
    /// it presents on first contact (with a warning).
    public var consoleKeysWait: TimeInterval
    /// Reach instances at their private address even when they have a public one (the in-stack
    /// job manager, inside the VPC).
    public var preferPrivateAddress = false
    /// Where warnings go (standard error by default).
    public var warn: @Sendable (String) -> Void
    public var now: @Sendable () -> Date

    public init(ec2: EC2Client, home: NCAASHome, sshPort: Int = 22, consoleKeysWait: TimeInterval = 90,
                warn: @escaping @Sendable (String) -> Void = DevCloud.standardErrorWarning,
                now: @escaping @Sendable () -> Date = { Date() }) throws {
        self.ec2 = ec2
        self.home = home
        self.endpoint = try ec2.client.endpointURL(for: .ec2).base
        self.region = ec2.client.region
        self.sshPort = sshPort
        self.consoleKeysWait = consoleKeysWait
        self.warn = warn
        self.now = now
    }

    /// A cloud for `client`.
    public static func make(client: AWSClient, home: NCAASHome = .forEnvironment(), sshPort: Int = 22) throws -> DevCloud {
        try DevCloud(ec2: client.ec2, home: home, sshPort: sshPort)
    }

    @Sendable public static func standardErrorWarning(_ message: String) {
        FileHandle.standardError.write(Data("warning: \(message)\n".utf8))
    }

    public var records: DevRecordStore { DevRecordStore(home: home) }
    public var knownHosts: KnownHosts { KnownHosts(path: home.knownHosts) }

    /// Describes `ids`.
    public func describe(_ ids: [String]) throws -> [Instance] {
        try ec2.describeInstances(instanceIds: ids)
    }

    /// Terminates instances and forgets their host keys.
    public func terminate(_ ids: [String]) throws {
        guard !ids.isEmpty else { return }
        _ = try ec2.terminateInstances(ids)
        for id in ids { _ = try? knownHosts.forget(id) }
    }
}
