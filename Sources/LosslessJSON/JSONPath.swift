/// One step into a JSON document: an object key or an array index.
public enum JSONPathComponent: Hashable, Sendable, CustomStringConvertible {
    case key(String)
    case index(Int)

    public var description: String {
        switch self {
        case .key(let k): return k
        case .index(let i): return "[\(i)]"
        }
    }
}

/// A path into a JSON document, written `Lambda.LambdaConfig.COMMAND` or `UXData.Affiliates[0].UserInput`.
public struct JSONPath: Hashable, Sendable, CustomStringConvertible, ExpressibleByArrayLiteral {
    public var components: [JSONPathComponent]

    public init(_ components: [JSONPathComponent]) { self.components = components }
    public init(arrayLiteral elements: JSONPathComponent...) { self.components = elements }

    /// Parses the dotted form (`a.b[2].c`). A leading `.` (jq style) is allowed.
    public init(parsing text: String) throws {
        var components: [JSONPathComponent] = []
        var rest = Substring(text)
        if rest.hasPrefix(".") { rest = rest.dropFirst() }
        guard !rest.isEmpty else { throw JSONPathError(path: text) }
        while !rest.isEmpty {
            if rest.hasPrefix("[") {
                guard let close = rest.firstIndex(of: "]"), let index = Int(rest[rest.index(after: rest.startIndex)..<close]), index >= 0
                else { throw JSONPathError(path: text) }
                components.append(.index(index))
                rest = rest[rest.index(after: close)...]
                if rest.hasPrefix(".") { rest = rest.dropFirst(); if rest.isEmpty { throw JSONPathError(path: text) } }
            } else {
                let end = rest.firstIndex { $0 == "." || $0 == "[" } ?? rest.endIndex
                let key = String(rest[..<end])
                guard !key.isEmpty else { throw JSONPathError(path: text) }
                components.append(.key(key))
                rest = rest[end...]
                if rest.hasPrefix(".") { rest = rest.dropFirst(); if rest.isEmpty { throw JSONPathError(path: text) } }
            }
        }
        self.components = components
    }

    public func appending(_ component: JSONPathComponent) -> JSONPath {
        JSONPath(components + [component])
    }

    public func appending(_ key: String) -> JSONPath { appending(.key(key)) }

    public var description: String {
        var out = ""
        for component in components {
            switch component {
            case .key(let k): out += out.isEmpty ? k : ".\(k)"
            case .index(let i): out += "[\(i)]"
            }
        }
        return out.isEmpty ? "(the document)" : out
    }
}

/// A path that could not be read.
public struct JSONPathError: Error, Equatable, CustomStringConvertible {
    public var path: String
    public var description: String {
        "'\(path)' is not a path: write keys separated by dots and indexes in brackets, like Lambda.LambdaConfig.AMI or UXData.Affiliates[0].UserInput."
    }
}
