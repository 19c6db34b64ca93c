/// A jq failure, carrying libjq's own message.
public enum JQError: Error, Equatable, CustomStringConvertible {
    /// The filter does not compile.
    case compile(filter: String, message: String)
    /// The input is not JSON.
    case input(message: String)
    /// The filter failed while running (`error(...)`, a type error).
    case runtime(message: String)

    public var description: String {
        switch self {
        case let .compile(filter, message):
            return "The jq filter '\(filter)' does not compile: \(message)."
        case let .input(message):
            return "The input is not JSON: \(message)."
        case let .runtime(message):
            return "The jq filter failed: \(message)."
        }
    }
}
