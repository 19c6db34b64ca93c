import CGit2

/// A libgit2 failure with libgit2's own message (`git_error_last`), read right after the call.
public struct GitError: Error, Equatable, CustomStringConvertible {
    /// The libgit2 return code (negative).
    public var code: Int32
    /// What ncaas was doing ("open the repository at /x").
    public var operation: String
    /// libgit2's message.
    public var message: String

    public var description: String { "Could not \(operation): \(message)." }
}

/// The one checked path for every libgit2 return code: throws `GitError` for negative codes.
@discardableResult
func check(_ code: Int32, _ operation: @autoclosure () -> String) throws -> Int32 {
    guard code < 0 else { return code }
    let message: String
    if let last = git_error_last(), let text = last.pointee.message {
        message = String(cString: text).trimmingTrailingNewlines()
    } else {
        message = "libgit2 error \(code)"
    }
    throw GitError(code: code, operation: operation(), message: message)
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var text = self
        while text.hasSuffix("\n") || text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
