/// One parsed AWS shared config or credentials file.
///
/// The format is the one botocore reads: `[section]` headers; `key = value` (or `key: value`)
/// with whitespace around the delimiter ignored; keys compared in lower case, as Python's
/// configparser does; full-line comments starting with `#` or `;`; a `#` or `;` after
/// whitespace ends a value (an inline comment); an indented `key = value` under a key with an
/// empty value is a sub-property (`s3 =` / `  endpoint_url = ...`). Parse errors name the
/// line number but never echo the line: it may hold a secret.
struct SharedConfigINI: Equatable {
    struct Section: Equatable {
        var properties: [String: String] = [:]
        /// Sub-properties by parent key (`ec2` → `endpoint_url` → URL).
        var subProperties: [String: [String: String]] = [:]
    }

    /// Sections by their name as written between the brackets, with whitespace trimmed and
    /// inner runs of whitespace collapsed (`[ profile   dev ]` is `profile dev`). A section
    /// that appears twice is merged, later keys winning.
    private(set) var sections: [String: Section] = [:]

    init(parsing text: String, path: String) throws {
        var current: String?
        // The last top-level key, its indentation, and whether it had a value: a line indented
        // deeper than it belongs to it (as in Python's configparser).
        var lastKey: (name: String, indent: Int, hasValue: Bool)?
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
        for (offset, line) in lines.enumerated() {
            let lineNumber = offset + 1
            let trimmed = line.trimmingWhitespace()
            if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { continue }

            let indent = line.prefix { $0 == " " || $0 == "\t" }.count
            if trimmed.hasPrefix("[") {
                guard let close = trimmed.firstIndex(of: "]") else {
                    throw AWSConfigurationError.malformedFile(path: path, line: lineNumber, reason: "a section header has no closing ]")
                }
                let afterClose = trimmed[trimmed.index(after: close)...].trimmingWhitespace()
                guard afterClose.isEmpty || afterClose.hasPrefix("#") || afterClose.hasPrefix(";") else {
                    throw AWSConfigurationError.malformedFile(path: path, line: lineNumber, reason: "unexpected text after a section header")
                }
                let name = trimmed[trimmed.index(after: trimmed.startIndex)..<close]
                    .split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
                guard !name.isEmpty else {
                    throw AWSConfigurationError.malformedFile(path: path, line: lineNumber, reason: "a section header is empty")
                }
                current = name
                if sections[name] == nil { sections[name] = Section() }
                lastKey = nil
                continue
            }

            guard let section = current else {
                throw AWSConfigurationError.malformedFile(path: path, line: lineNumber, reason: "a setting appears before any [section] header")
            }
            guard let (key, value) = Self.splitProperty(trimmed) else {
                throw AWSConfigurationError.malformedFile(path: path, line: lineNumber, reason: "expected `key = value`, a [section] header or a comment")
            }
            if let parent = lastKey, indent > parent.indent {
                guard !parent.hasValue else {
                    throw AWSConfigurationError.malformedFile(path: path, line: lineNumber,
                                                              reason: "an indented line continues a key that already has a value")
                }
                sections[section]?.subProperties[parent.name, default: [:]][key] = value
                continue
            }
            sections[section]?.properties[key] = value
            lastKey = (key, indent, !value.isEmpty)
        }
    }

    /// Splits `key = value` at the first `=` or `:`; the key is lower-cased, the value loses
    /// an inline comment. Nil when there is no delimiter or no key.
    private static func splitProperty(_ line: Substring) -> (String, String)? {
        guard let delimiter = line.firstIndex(where: { $0 == "=" || $0 == ":" }) else { return nil }
        let key = line[..<delimiter].trimmingWhitespace().lowercased()
        guard !key.isEmpty else { return nil }
        var value = line[line.index(after: delimiter)...]
        if let comment = inlineCommentStart(value) { value = value[..<comment] }
        return (key, String(value.trimmingWhitespace()))
    }

    /// Index of a `#` or `;` that follows whitespace.
    private static func inlineCommentStart(_ value: Substring) -> Substring.Index? {
        var previous: Character = " "
        var index = value.startIndex
        var seenText = false
        while index < value.endIndex {
            let character = value[index]
            if (character == "#" || character == ";") && (previous == " " || previous == "\t") && seenText {
                return index
            }
            if character != " " && character != "\t" { seenText = true }
            previous = character
            index = value.index(after: index)
        }
        return nil
    }
}

fileprivate extension Substring {
    func trimmingWhitespace() -> Substring {
        var result = self
        while let first = result.first, first == " " || first == "\t" { result = result.dropFirst() }
        while let last = result.last, last == " " || last == "\t" { result = result.dropLast() }
        return result
    }
}
