/// A document that is not JSON, with where the problem is.
public struct JSONSyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What is wrong, in a few words ("expected ',' or '}' after an object member").
    public var reason: String
    /// 1-based line and column (column counts characters, not bytes).
    public var line: Int
    public var column: Int
    /// UTF-8 byte offset.
    public var offset: Int

    public var description: String { "line \(line), column \(column): \(reason)" }
}
