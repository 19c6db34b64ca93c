/// Renders a `JSONValue` as text in a given indentation style. Numbers are written as spelled.
public struct JSONWriter: Sendable {
    /// One level of indentation; empty for compact output on one line.
    public var indentUnit: String

    public init(indentUnit: String) { self.indentUnit = indentUnit }

    /// Everything on one line, with `", "` and `": "` separators.
    public static let compact = JSONWriter(indentUnit: "")

    /// Renders `value` as if it started on a line indented by `baseIndent`.
    public func render(_ value: JSONValue, baseIndent: String) -> String {
        var out = ""
        write(value, indent: baseIndent, into: &out)
        return out
    }

    /// A whole document: the value followed by a newline.
    public func document(_ value: JSONValue) -> String { render(value, baseIndent: "") + "\n" }

    private func write(_ value: JSONValue, indent: String, into out: inout String) {
        switch value {
        case .object(let members):
            if members.isEmpty { out += "{}"; return }
            if indentUnit.isEmpty {
                out += "{" + members.map { quote($0.key) + ": " + render($0.value, baseIndent: "") }.joined(separator: ", ") + "}"
                return
            }
            let inner = indent + indentUnit
            out += "{\n"
            for (i, member) in members.enumerated() {
                out += inner + quote(member.key) + ": "
                write(member.value, indent: inner, into: &out)
                out += i == members.count - 1 ? "\n" : ",\n"
            }
            out += indent + "}"
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            if indentUnit.isEmpty {
                out += "[" + items.map { render($0, baseIndent: "") }.joined(separator: ", ") + "]"
                return
            }
            let inner = indent + indentUnit
            out += "[\n"
            for (i, item) in items.enumerated() {
                out += inner
                write(item, indent: inner, into: &out)
                out += i == items.count - 1 ? "\n" : ",\n"
            }
            out += indent + "]"
        case .string(let s): out += quote(s)
        case .number(let n): out += n
        case .bool(let b): out += b ? "true" : "false"
        case .null: out += "null"
        }
    }

    /// A JSON string literal for `s`.
    public func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
