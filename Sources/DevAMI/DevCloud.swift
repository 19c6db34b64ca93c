import AWS
import Foundation
import LocalCloud
import SSH

/// What every dev workflow shares, built once per command: the EC2 client, the backing that makes
/// instances real (podman on the local cloud, nothing on AWS), ncaas's home folder and the clock.
public struct DevCloud: Sendable {
    public var ec2: EC2Client
    public var backing: any InstanceBacking
    public var home: NCAASHome
    /// The EC2 endpoint URL (records are kept per endpoint).
    public var endpoint: String
    public var region: String
    /// Whether instances live on this machine (the local cloud).
    public var isLocal: Bool
    public var now: @Sendable () -> Date

    public init(ec2: EC2Client, backing: any InstanceBacking, home: NCAASHome, now: @escaping @Sendable () -> Date = { Date() }) throws {
        self.ec2 = ec2
        self.backing = backing
        self.home = home
        self.endpoint = try ec2.client.endpointURL(for: .ec2).base
        self.region = ec2.client.region
        self.isLocal = !(backing is CloudInstanceBacking)
        self.now = now
    }

    /// A cloud for `client`: the local backing when its EC2 endpoint is on loopback.
    public static func make(client: AWSClient, home: NCAASHome = .forEnvironment()) throws -> DevCloud {
        let ec2 = client.ec2
        return try DevCloud(ec2: ec2, backing: InstanceBackings.backing(for: ec2), home: home)
    }

    public var records: DevRecordStore { DevRecordStore(home: home) }
    public var knownHosts: KnownHosts { KnownHosts(path: home.knownHosts) }

    /// Tells the backing about instances that shut themselves down, then describes `ids`.
    public func describe(_ ids: [String]) throws -> [Instance] {
        _ = try backing.syncInstanceInitiatedShutdowns()
        return try ec2.describeInstances(instanceIds: ids)
    }

    /// Terminates instances on the endpoint and in the backing, and forgets their host keys.
    public func terminate(_ ids: [String]) throws {
        guard !ids.isEmpty else { return }
        _ = try ec2.terminateInstances(ids)
        try backing.terminated(ids)
        for id in ids { _ = try? knownHosts.forget(id) }
    }
}
