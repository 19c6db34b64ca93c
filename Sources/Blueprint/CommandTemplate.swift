/// A NeuroCAAS COMMAND: a shell command with Python `str.format` placeholders that receive, in
/// order, the bucket, the dataset key, the result directory and the config key.
public enum CommandTemplate {
    /// One replacement field found in a command: its text between the braces (empty for `{}`).
    public struct Field: Equatable {
        public var name: String
    }

    /// The replacement fields of `command`, honouring `{{` and `}}` escapes; nil when braces do
    /// not balance.
    public static func fields(in command: String) -> [Field]? {
        var fields: [Field] = []
        var chars = Array(command)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "{" {
                if i + 1 < chars.count, chars[i + 1] == "{" { i += 2; continue }
                guard let close = chars[(i + 1)...].firstIndex(of: "}") else { return nil }
                let name = String(chars[(i + 1)..<close])
                if name.contains("{") { return nil }
                fields.append(Field(name: name))
                i = close + 1
            } else if c == "}" {
                if i + 1 < chars.count, chars[i + 1] == "}" { i += 2; continue }
                return nil
            } else {
                i += 1
            }
        }
        chars.removeAll()
        return fields
    }

    /// The number of positional placeholders a COMMAND must have.
    public static let requiredPlaceholders = 4
}
