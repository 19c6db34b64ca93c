/// A test harness failure (a helper server would not start, a child process misbehaved),
/// with a one-sentence human message and, where there is one, the tail of the child's log.
public struct TestSupportError: Error, CustomStringConvertible {
    public let message: String
    public let log: String

    public init(_ message: String, log: String = "") {
        self.message = message
        self.log = log
    }

    public var description: String {
        log.isEmpty ? message : "\(message)\n--- log tail ---\n\(log)"
    }
}
