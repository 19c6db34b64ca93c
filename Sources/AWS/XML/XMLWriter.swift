/// Writes the small XML request bodies S3 takes (bucket configuration, multipart
/// completion, notification configuration), escaping every text value.
public struct XMLWriter: Sendable {
    private var output = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"

    public init() {}

    /// The document written so far.
    public var document: String { output }

    /// Opens an element, writes what `content` writes, and closes it.
    public mutating func element(_ name: String, namespace: String? = nil, _ content: (inout XMLWriter) -> Void) {
        if let namespace {
            output += "<\(name) xmlns=\"\(Self.escape(namespace))\">"
        } else {
            output += "<\(name)>"
        }
        content(&self)
        output += "</\(name)>"
    }

    /// An element holding only text.
    public mutating func element(_ name: String, text: String) {
        output += "<\(name)>\(Self.escape(text))</\(name)>"
    }

    /// Escapes the five XML special characters.
    public static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&apos;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
