import LosslessJSON

/// The job manager a deploy puts into the analysis's own stack (`ncaas.manager` in the blueprint):
/// whether there is one (on by default), its instance type (a small burstable type by default), and
/// how long a submission it took stays hidden from other managers.
public struct ManagerSettings: Sendable, Equatable {
    public static let path: JSONPath = [.key(Blueprint.ncaasKey), .key("manager")]
    public static let defaultInstanceType = "t3.small"

    public var enabled: Bool
    public var instanceType: String
    /// Seconds a submission it received stays hidden from others (renewed while its job runs): how
    /// long a job waits for a replacement manager when its manager dies (`jobs serve --visibility-timeout`).
    public var visibilityTimeout: Int

    public init(enabled: Bool = true, instanceType: String = ManagerSettings.defaultInstanceType, visibilityTimeout: Int = 60) {
        self.enabled = enabled
        self.instanceType = instanceType
        self.visibilityTimeout = visibilityTimeout
    }
}

extension Blueprint {
    /// `ncaas.manager.enabled` (an explicit `false` is a value) and `ncaas.manager.instance_type`.
    public var manager: ManagerSettings {
        var settings = ManagerSettings()
        if case .bool(let enabled)? = document.value(at: ManagerSettings.path.appending("enabled")) { settings.enabled = enabled }
        if let type = document.value(at: ManagerSettings.path.appending("instance_type"))?.stringValue { settings.instanceType = type }
        if let seconds = document.value(at: ManagerSettings.path.appending("visibility_timeout"))?.doubleValue,
           seconds.rounded() == seconds, (3...43_200).contains(seconds) {
            settings.visibilityTimeout = Int(seconds)
        }
        return settings
    }
}
