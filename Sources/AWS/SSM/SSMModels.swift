import Foundation

/// One SSM parameter, as GetParameter reports it.
public struct SSMParameter: Sendable, Equatable {
    public var name: String
    /// `String`, `StringList` or `SecureString`.
    public var type: String
    /// The value (decrypted for a SecureString when asked).
    public var value: String
    public var version: Int
    public var arn: String?

    public init(name: String, type: String, value: String, version: Int, arn: String? = nil) {
        self.name = name
        self.type = type
        self.value = value
        self.version = version
        self.arn = arn
    }

    init?(json: [String: Any]) {
        guard let name = json["Name"] as? String, let value = json["Value"] as? String else { return nil }
        self.init(name: name, type: json["Type"] as? String ?? "String", value: value,
                  version: (json["Version"] as? NSNumber)?.intValue ?? 0, arn: json["ARN"] as? String)
    }
}

extension AWSError {
    /// SSM's answer for a parameter that does not exist.
    public var isParameterNotFound: Bool { code == "ParameterNotFound" }
}
