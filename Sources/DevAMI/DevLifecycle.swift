import AWS
import Foundation
import Support
import SSH

/// `ncaas dev extend/stop/start/create-image/terminate`: acting on an analysis's dev instance
/// through the EC2 API, keeping its record and tags in step.
public struct DevLifecycle {
    public var cloud: DevCloud
    public var progress: (String) -> Void

    public init(cloud: DevCloud, progress: @escaping (String) -> Void = { _ in }) {
        self.cloud = cloud
        self.progress = progress
    }

    var instances: DevInstances { DevInstances(cloud: cloud) }

    /// Moves the deadline `seconds` later than it is now (or than now, if it has passed): on the
    /// tag, in the record and, when the instance runs, on the instance's watchdog.
    @discardableResult
    public func extend(_ analysis: String, by seconds: TimeInterval) throws -> DevRecord {
        guard seconds > 0 else { throw DevError(.badInput, "The extension must be longer than zero.") }
        var (instance, record) = try instances.current(analysis)
        let expiry = max(record.expiresAt, cloud.now()).addingTimeInterval(seconds)
        try cloud.ec2.createTags(resourceIds: [instance.instanceId], tags: [Tag(key: InstanceTags.expiry, value: InstanceTags.format(expiry))])
        record.expiresAt = expiry
        try cloud.records.save(record)
        if instance.stateName == .running {
            try Deadline.arm(try connection().connect(to: instance, timeout: 30), instanceId: instance.instanceId, expiry: expiry)
        }
        return record
    }

    /// Stops the instance (its disk is kept; the watchdog starts again with the next boot).
    public func stop(_ analysis: String) throws -> Instance {
        let (instance, _) = try instances.current(analysis)
        _ = try cloud.ec2.stopInstances([instance.instanceId])
        progress("\(instance.instanceId): waiting until it is stopped")
        return try cloud.ec2.waitForInstances([instance.instanceId], toBe: .stopped).first ?? instance
    }

    /// Starts a stopped instance, waits for SSH and sets its deadline again.
    public func start(_ analysis: String) throws -> Instance {
        let (instance, record) = try instances.current(analysis)
        if record.expiresAt <= cloud.now() {
            throw DevError(.refused, "The dev instance \(instance.instanceId) is past its deadline; move it with `ncaas dev extend \(AnalysisHint.name(analysis)) MIN` first.")
        }
        _ = try cloud.ec2.startInstances([instance.instanceId])
        progress("\(instance.instanceId): waiting until it runs")
        let running = try cloud.ec2.waitForInstances([instance.instanceId], toBe: .running).first ?? instance
        progress("\(instance.instanceId): waiting for SSH")
        try Deadline.arm(try connection().connect(to: running), instanceId: running.instanceId, expiry: record.expiresAt)
        return running
    }

    /// Makes an image of the dev instance (EC2 reboots it for a consistent disk; its deadline
    /// watchdog starts again with the boot), waits until it is available, and records it.
    public func createImage(_ analysis: String, name: String?) throws -> String {
        var (instance, record) = try instances.current(analysis)
        let imageName = name ?? "ncaas-\(analysis)-\(Self.stamp(cloud.now()))"
        progress("\(instance.instanceId): creating the image \(imageName) (the instance reboots)")
        let imageId = try cloud.ec2.createImage(instanceId: instance.instanceId, name: imageName,
                                                description: "ncaas: \(analysis), from dev instance \(instance.instanceId)",
                                                tagSpecifications: ImageTags.specifications(analysis: analysis, name: imageName, source: instance))
        do {
            progress("\(imageId): waiting until it is available")
            try cloud.ec2.waitForImageAvailable(imageId, policy: WaiterPolicy(maxDelay: 10, timeout: 3600))
        } catch {
            _ = try? cloud.ec2.deregisterImage(imageId)
            throw error
        }
        record.imageIds.append(imageId)
        try cloud.records.save(record)
        return imageId
    }

    /// Terminates the dev instance. Refused when no image was made since launch (the work on it
    /// would be lost) unless `force`.
    public func terminate(_ analysis: String, force: Bool) throws -> Instance {
        let (instance, record) = try instances.current(analysis)
        if record.imageIds.isEmpty && !force {
            throw DevError(.refused, "No image was created from \(instance.instanceId) since it was launched, so its work would be lost; run `ncaas dev create-image \(AnalysisHint.name(analysis))` first, or pass --force.")
        }
        try cloud.terminate([instance.instanceId])
        progress("\(instance.instanceId): waiting until it is terminated")
        let ended = try cloud.ec2.waitForInstances([instance.instanceId], toBe: .terminated).first ?? instance
        cloud.records.remove(analysis)
        return ended
    }

    func connection() throws -> InstanceConnection {
        InstanceConnection(cloud: cloud, keyPair: try DevKeys.local(cloud.home))
    }

    static func stamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return formatter.string(from: date)
    }
}
