import LosslessJSON

/// The job manager a deploy puts into the analysis's own stack (`ncaas.manager` in the blueprint):
/// whether there is one (on by default) and its instance type (a small burstable type by default).
public struct ManagerSettings: Sendable, Equatable {
    public static let path: JSONPath = [.key(Blueprint.ncaasKey), .key("manager")]
    public static let defaultInstanceType = "t3.small"

    public var enabled: Bool
    public var instanceType: String

    public init(enabled: Bool = true, instanceType: String = ManagerSettings.defaultInstanceType) {
        self.enabled = enabled
        self.instanceType = instanceType
    }
}

extension Blueprint {
    /// `ncaas.manager.enabled` (an explicit `false` is a value) and `ncaas.manager.instance_type`.
    public var manager: ManagerSettings {
        var settings = ManagerSettings()
        if case .bool(let enabled)? = document.value(at: ManagerSettings.path.appending("enabled")) { settings.enabled = enabled }
        if let type = document.value(at: ManagerSettings.path.appending("instance_type"))?.stringValue { settings.instanceType = type }
        return settings
    }
}
