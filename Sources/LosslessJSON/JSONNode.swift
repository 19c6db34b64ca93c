/// A parsed JSON value together with where it stands in the source text (UTF-8 byte offsets),
/// so that an edit can replace exactly the bytes of one value.
public struct JSONNode: Sendable {
    /// One member of an object: its key, the byte range of the key's quoted text, and its value.
    public struct Member: Sendable {
        public var key: String
        public var keyRange: Range<Int>
        public var value: JSONNode
    }

    public enum Content: Sendable {
        case object([Member])
        case array([JSONNode])
        case scalar(JSONValue)
    }

    public var content: Content
    /// Bytes of this value in the source, from its first to its last character.
    public var range: Range<Int>

    /// The value without positions.
    public var value: JSONValue {
        switch content {
        case .object(let members): return .object(members.map { ($0.key, $0.value.value) })
        case .array(let items): return .array(items.map(\.value))
        case .scalar(let v): return v
        }
    }

    /// The node at `path`, or nil where the path leaves the document.
    public func node(at path: JSONPath) -> JSONNode? {
        var current = self
        for component in path.components {
            switch (component, current.content) {
            case let (.key(k), .object(members)):
                guard let m = members.first(where: { $0.key == k }) else { return nil }
                current = m.value
            case let (.index(i), .array(items)):
                guard items.indices.contains(i) else { return nil }
                current = items[i]
            default:
                return nil
            }
        }
        return current
    }
}
