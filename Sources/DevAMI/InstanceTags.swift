import AWS
import Foundation

/// The tags ncaas puts on every instance and image it creates, so that what exists can always
/// be rebuilt from the cloud (the local state files are only a cache of these).
public enum InstanceTags {
    /// The analysis (blueprint PipelineName) a resource belongs to.
    public static let analysis = "ncaas:analysis"
    /// What the instance is for: `dev`, `image-build`, `job`, `fleet`.
    public static let role = "ncaas:role"
    /// Who launched it: the STS caller ARN.
    public static let owner = "ncaas:owner"
    /// When it must be gone, ISO 8601 UTC (`2026-12-01T22:00:00Z`); `ncaas gc` and the
    /// instance's own watchdog enforce it.
    public static let expiry = "ncaas:expiry"
    /// On an image: the instance it was made from.
    public static let sourceInstance = "ncaas:source-instance"
    /// On a fleet's instances: the fleet's name, the seat number (1...N) and the service's port.
    public static let fleet = "ncaas:fleet"
    public static let seat = "ncaas:seat"
    public static let servicePort = "ncaas:service-port"
    /// The usual EC2 console name.
    public static let name = "Name"

    /// Instance roles.
    public enum Role: String, Sendable {
        case dev
        case imageBuild = "image-build"
        case fleet
        /// One dataset of a job (`ncaas test-job`, later `ncaas jobs serve`).
        case job
        /// The in-stack job manager (launched by the stack's Auto Scaling group, not by ncaas).
        case manager
    }

    /// Formats and parses the expiry tag's timestamps.
    public static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    /// Parses an expiry tag or a launch time (with or without fractional seconds).
    public static func parse(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }

    /// The tags of an instance ncaas launches.
    public static func instance(analysis: String, role: Role, owner: String, expiry: Date) -> [Tag] {
        [
            Tag(key: name, value: "ncaas-\(analysis)-\(role.rawValue)"),
            Tag(key: self.analysis, value: analysis),
            Tag(key: self.role, value: role.rawValue),
            Tag(key: self.owner, value: owner),
            Tag(key: self.expiry, value: format(expiry)),
        ]
    }

    /// Filters for the instances of `analysis` in `role` that still exist (not terminated).
    public static func liveFilters(analysis: String, role: Role) -> [EC2Filter] {
        [
            .tag(self.analysis, analysis),
            .tag(self.role, role.rawValue),
            EC2Filter(name: "instance-state-name", values: ["pending", "running", "stopping", "stopped"]),
        ]
    }
}

extension Instance {
    /// The instance's expiry tag, parsed.
    public var expiry: Date? { tag(InstanceTags.expiry).flatMap(InstanceTags.parse) }
    /// When it was launched.
    public var launchDate: Date? { launchTime.flatMap(InstanceTags.parse) }
}
