/// A JSON document kept as its original text plus a positioned tree. Edits replace the bytes
/// of exactly one value (or insert one member), so everything else — key order, unknown keys,
/// spacing, number spelling — stays byte for byte as it was.
public struct JSONDocument: Sendable {
    /// The document's UTF-8 text.
    public let bytes: [UInt8]
    /// The parsed tree with byte ranges.
    public let root: JSONNode

    /// Parses `text`; throws `JSONSyntaxError` with line and column when it is not JSON.
    public init(text: String) throws {
        try self.init(bytes: Array(text.utf8))
    }

    public init(bytes: [UInt8]) throws {
        self.bytes = bytes
        self.root = try JSONParser.parse(bytes)
    }

    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// The plain value of the whole document.
    public var value: JSONValue { root.value }

    /// The value at `path`, or nil.
    public func value(at path: JSONPath) -> JSONValue? { root.node(at: path)?.value }

    /// Returns a new document in which the value at `path` is `newValue`. Missing object members
    /// along the path are created; nothing else in the text changes.
    public func setting(_ newValue: JSONValue, at path: JSONPath) throws -> JSONDocument {
        if let node = root.node(at: path) {
            // An array or object written on one line stays on one line (a one-line diff); anything else is indented.
            let isContainer: Bool
            switch node.value { case .array, .object: isContainer = true; default: isContainer = false }
            let oneLine = isContainer && !bytes[node.range].contains(UInt8(ascii: "\n"))
            let rendered = oneLine ? JSONWriter.compact.render(newValue, baseIndent: "")
                : JSONWriter(indentUnit: indentUnit).render(newValue, baseIndent: indentation(ofLineAt: node.range.lowerBound))
            return try replacing(node.range, with: rendered)
        }
        // Find the deepest existing ancestor; everything below it must be object keys.
        var existing = path.components.count - 1
        while existing > 0, root.node(at: JSONPath(Array(path.components[..<existing]))) == nil { existing -= 1 }
        let parentPath = JSONPath(Array(path.components[..<existing]))
        guard let parent = root.node(at: parentPath) else { throw JSONEditError.missingParent(path: parentPath) }
        guard case .key(let key) = path.components[existing] else {
            throw JSONEditError.indexOutOfRange(path: JSONPath(Array(path.components[...existing])))
        }
        var inserted = newValue
        for component in path.components[(existing + 1)...].reversed() {
            guard case .key(let k) = component else {
                throw JSONEditError.indexOutOfRange(path: path)
            }
            inserted = .object([(k, inserted)])
        }
        guard case .object(let members) = parent.content else {
            throw JSONEditError.notAnObject(path: parentPath, actual: parent.value.typeDescription)
        }
        return try insertMember(key: key, value: inserted, into: parent, members: members)
    }

    private func insertMember(key: String, value: JSONValue, into parent: JSONNode, members: [JSONNode.Member]) throws -> JSONDocument {
        let writer = JSONWriter(indentUnit: indentUnit)
        let parentIndent = indentation(ofLineAt: parent.range.lowerBound)
        guard let last = members.last else {
            let memberIndent = parentIndent + indentUnit
            let text = "{\n\(memberIndent)\(writer.quote(key)): \(writer.render(value, baseIndent: memberIndent))\n\(parentIndent)}"
            return try replacing(parent.range, with: text)
        }
        let lastOnOwnLine = lineStart(of: last.keyRange.lowerBound) > parent.range.lowerBound
        let insertion: String
        if lastOnOwnLine {
            let memberIndent = indentation(ofLineAt: last.keyRange.lowerBound)
            insertion = ",\n\(memberIndent)\(writer.quote(key)): \(writer.render(value, baseIndent: memberIndent))"
        } else {
            insertion = ", \(writer.quote(key)): \(JSONWriter.compact.render(value, baseIndent: ""))"
        }
        let at = last.value.range.upperBound
        return try replacing(at..<at, with: insertion)
    }

    private func replacing(_ range: Range<Int>, with text: String) throws -> JSONDocument {
        var newBytes = bytes
        newBytes.replaceSubrange(range, with: Array(text.utf8))
        return try JSONDocument(bytes: newBytes)
    }

    /// The document's indentation unit: the leading white space of the first indented line, or four spaces.
    public var indentUnit: String {
        var index = 0
        while index < bytes.count {
            if bytes[index] == 0x0A {
                var end = index + 1
                while end < bytes.count, bytes[end] == 0x20 || bytes[end] == 0x09 { end += 1 }
                if end > index + 1 { return String(decoding: bytes[(index + 1)..<end], as: UTF8.self) }
            }
            index += 1
        }
        return "    "
    }

    private func lineStart(of offset: Int) -> Int {
        var start = offset
        while start > 0, bytes[start - 1] != 0x0A { start -= 1 }
        return start
    }

    private func indentation(ofLineAt offset: Int) -> String {
        let start = lineStart(of: offset)
        var end = start
        while end < bytes.count, bytes[end] == 0x20 || bytes[end] == 0x09 { end += 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// 1-based line and column (in characters) of a byte offset.
    public static func lineAndColumn(of offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
        var line = 1
        var lineStart = 0
        for i in 0..<min(offset, bytes.count) where bytes[i] == 0x0A {
            line += 1
            lineStart = i + 1
        }
        let column = String(decoding: bytes[lineStart..<min(offset, bytes.count)], as: UTF8.self).count + 1
        return (line, column)
    }

    /// Line and column of the value at `path`, when it exists.
    public func location(of path: JSONPath) -> (line: Int, column: Int)? {
        guard let node = root.node(at: path) else { return nil }
        return Self.lineAndColumn(of: node.range.lowerBound, in: bytes)
    }
}

/// Why an edit could not be made.
public enum JSONEditError: Error, Equatable, CustomStringConvertible {
    case notAnObject(path: JSONPath, actual: String)
    case indexOutOfRange(path: JSONPath)
    case missingParent(path: JSONPath)

    public var description: String {
        switch self {
        case let .notAnObject(path, actual):
            return "\(path) is \(actual), not an object, so it cannot hold a new key."
        case let .indexOutOfRange(path):
            return "\(path) does not exist: an array index must name an element that is already there."
        case let .missingParent(path):
            return "\(path) does not exist in the document."
        }
    }
}
