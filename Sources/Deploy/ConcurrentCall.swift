import Foundation

/// Runs a throwing call on another thread at once; `value()` waits for its result.
final class ConcurrentCall<Value>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: Result<Value, Error>?

    init(_ body: @escaping @Sendable () throws -> Value) {
        DispatchQueue.global(qos: .userInitiated).async {
            self.result = Result { try body() }
            self.done.signal()
        }
    }

    /// The call's value, or its error; waits until it has finished. Call once.
    func value() throws -> Value {
        done.wait()
        return try result!.get()
    }
}
