import AWS
import Foundation
import Support

/// `ncaas dev launch`: one dev instance per analysis, tagged, SSH-ready, with a deadline.
public struct DevLaunch {
    public struct Options: Sendable {
        /// An AMI id or alias; nil: the blueprint's AMI.
        public var image: String?
        /// nil: the blueprint's INSTANCE_TYPE.
        public var instanceType: String?
        /// Seconds until the instance's deadline.
        public var lifetime: TimeInterval
        public var sshCIDR: String?
        /// Who logs in (the blueprint's `ncaas.ssh.user`); nil: the image's default user.
        public var loginUser: String?
        /// The subnet to launch in (`--subnet`, else `ncaas.network.subnet`); nil: the default VPC.
        public var subnetId: String?

        public init(image: String? = nil, instanceType: String? = nil, lifetime: TimeInterval = 3600, sshCIDR: String? = nil,
                    loginUser: String? = nil, subnetId: String? = nil) {
            self.subnetId = subnetId
            self.image = image
            self.instanceType = instanceType
            self.lifetime = lifetime
            self.sshCIDR = sshCIDR
            self.loginUser = loginUser
        }
    }

    /// What was launched, and how to reach it.
    public struct Result: Sendable {
        public var record: DevRecord
        public var instance: Instance
        public var address: String
        /// The exact system `ssh` command line that reaches it.
        public var sshCommand: [String]
    }

    public var cloud: DevCloud
    public var progress: (String) -> Void

    public init(cloud: DevCloud, progress: @escaping (String) -> Void = { _ in }) {
        self.cloud = cloud
        self.progress = progress
    }

    /// Launches the dev instance of `analysis`, refusing while one is alive.
    public func run(analysis: String, blueprintAMI: String?, blueprintInstanceType: String?, options: Options) throws -> Result {
        guard options.lifetime > 0 else { throw DevError(.badInput, "--timeout must be longer than zero.") }
        if let live = try DevInstances(cloud: cloud).live(analysis).first {
            throw DevError(.refused, "\(analysis) already has a dev instance, \(live.instanceId) (\(live.state)); use it, or end it with `ncaas dev terminate \(AnalysisHint.name(analysis))` first.")
        }
        guard let reference = options.image ?? blueprintAMI else {
            throw DevError(.badInput, "The blueprint names no Lambda.LambdaConfig.AMI; give one with --ami.")
        }
        let imageId = try ImageReference.resolve(reference, on: cloud.ec2)
        let instanceType = options.instanceType ?? blueprintInstanceType ?? "t3.medium"
        let launcher = InstanceLauncher(cloud: cloud, progress: progress)
        var request = InstanceLauncher.Request(analysis: analysis, role: .dev, imageId: imageId, instanceType: instanceType,
                                               lifetime: options.lifetime, shutdownBehavior: "stop", sshCIDR: options.sshCIDR)
        request.loginUser = options.loginUser
        request.subnetId = options.subnetId
        let cloud = self.cloud
        let launchedAt = cloud.now()
        let launched = try launcher.launch(request) { instance in
            // Recorded as soon as it exists, so even a crash leaves a trace besides the tags.
            try cloud.records.save(DevRecord(analysis: analysis, instanceId: instance.instanceId, endpoint: cloud.endpoint,
                                             region: cloud.region, keyName: instance.keyName ?? "", launchedAt: launchedAt,
                                             expiresAt: launchedAt.addingTimeInterval(options.lifetime)))
        }
        let record = DevRecord(analysis: analysis, instanceId: launched.instance.instanceId, endpoint: cloud.endpoint,
                               region: cloud.region, keyName: launched.keyName,
                               launchedAt: launched.instance.launchDate ?? launchedAt, expiresAt: launched.expiry)
        do {
            try cloud.records.save(record)
        } catch {
            try? cloud.terminate([record.instanceId])
            cloud.records.remove(analysis)
            throw error
        }
        let options = launched.session.options
        return Result(record: record, instance: launched.instance, address: "\(options.host):\(options.port)",
                      sshCommand: ["ssh"] + options.systemSSHArguments)
    }
}
