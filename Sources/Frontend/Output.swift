import JQ
import LosslessJSON

/// How a command prints its result: for people (`text`) or for scripts (`json`), optionally
/// narrowed by a jq filter (`--query`, which implies JSON).
public struct OutputOptions: Sendable {
    public enum Format: String, CaseIterable, Sendable { case text, json }

    public var format: Format
    public var query: String?

    public init(format: Format = .text, query: String? = nil) {
        self.format = format
        self.query = query
    }

    /// True when the result should be printed as JSON.
    public var wantsJSON: Bool { format == .json || query != nil }

    /// Renders `value` as JSON text, applying the jq query if one was given (strings print raw,
    /// like `jq -r`, so `--query '.[0].file'` gives a usable word).
    public func renderJSON(_ value: JSONValue) throws -> String {
        let json = JSONWriter(indentUnit: "  ").render(value, baseIndent: "")
        guard let query else { return json }
        let filter = try JQFilter(query)
        return try filter.run(json: json, style: .raw).joined(separator: "\n")
    }
}
