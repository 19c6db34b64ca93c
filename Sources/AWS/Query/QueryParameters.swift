/// The parameters of one query-protocol call, kept in the order they were added.
///
/// Lists are flattened the two ways AWS does it: EC2 numbers the name itself
/// (`InstanceId.1`), the other query services number `.member.N` (`Tags.member.1.Key`).
public struct QueryParameters: Sendable {
    public private(set) var pairs: [(String, String)] = []

    public init() {}

    /// Adds a value; a nil value adds nothing.
    public mutating func set(_ name: String, _ value: String?) {
        guard let value else { return }
        pairs.append((name, value))
    }

    public mutating func set(_ name: String, _ value: Int?) {
        set(name, value.map(String.init))
    }

    public mutating func set(_ name: String, _ value: Bool?) {
        set(name, value.map { $0 ? "true" : "false" })
    }

    /// EC2 style: `Name.1`, `Name.2`, ...
    public mutating func setEC2List(_ name: String, _ values: [String]) {
        for (index, value) in values.enumerated() { set("\(name).\(index + 1)", value) }
    }

    /// Query style: `Name.member.1`, `Name.member.2`, ...
    public mutating func setMemberList(_ name: String, _ values: [String]) {
        for (index, value) in values.enumerated() { set("\(name).member.\(index + 1)", value) }
    }

    /// A list of structures; `fill` gets the prefix of each item (`Name.1` or `Name.member.1`).
    public mutating func setStructList<T>(_ prefix: String, _ items: [T], fill: (inout QueryParameters, String, T) -> Void) {
        for (index, item) in items.enumerated() { fill(&self, "\(prefix).\(index + 1)", item) }
    }
}
