import LosslessJSON

/// NeuroCAAS's defaults for `Lambda.LambdaConfig` keys a blueprint leaves out. An explicit
/// `false` or `0` in the blueprint is a value and wins over these.
public enum LambdaConfigDefaults {
    public static let values: [(key: String, value: JSONValue)] = [
        ("WORKING_DIRECTORY", .string("~/bin")),
        ("SHUTDOWN_BEHAVIOR", .string("terminate")),
        ("CONFIG", .string("config.yaml")),
        ("EXECUTION_TIMEOUT", .number("900")),
        ("SSM_TIMEOUT", .number("172000")),
        ("DEPLOY_LIMIT", .number("100")),
        ("MAXCOST", .number("300")),
        ("MONITOR", .bool(true)),
    ]

    /// The default for `key`, if NeuroCAAS has one.
    public static func value(for key: String) -> JSONValue? {
        values.first { $0.key == key }?.value
    }

    /// The stages NeuroCAAS deploys; `develop` when STAGE is absent.
    public static let stages = ["develop", "webdev", "websubstack"]
    public static let defaultStage = "develop"
}
