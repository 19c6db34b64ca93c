import LosslessJSON

/// Small builders for CloudFormation template JSON, so the renderer reads like the template.
enum TemplateJSON {
    static func object(_ members: [(String, JSONValue)]) -> JSONValue {
        .object(members.map { (key: $0.0, value: $0.1) })
    }

    static func string(_ text: String) -> JSONValue { .string(text) }

    static func strings(_ texts: [String]) -> JSONValue { .array(texts.map(JSONValue.string)) }

    static func number(_ value: Int) -> JSONValue { .number(String(value)) }

    /// `{"Ref": name}`.
    static func ref(_ name: String) -> JSONValue { object([("Ref", .string(name))]) }

    /// `{"Fn::GetAtt": [resource, attribute]}`.
    static func getAtt(_ resource: String, _ attribute: String) -> JSONValue {
        object([("Fn::GetAtt", strings([resource, attribute]))])
    }

    /// `{"Fn::Sub": text}`, or the plain string when it has no `${...}`.
    static func sub(_ text: String) -> JSONValue {
        text.contains("${") ? object([("Fn::Sub", .string(text))]) : .string(text)
    }

    /// A CloudFormation tag list.
    static func tags(_ tags: [(String, String)]) -> JSONValue {
        .array(tags.map { object([("Key", .string($0.0)), ("Value", .string($0.1))]) })
    }
}
