import CSSH2

/// A libssh2 failure with libssh2's own message (`libssh2_session_last_error`), or a socket error.
public struct SSHError: Error, Equatable, CustomStringConvertible {
    public var code: Int32
    /// What ncaas was doing ("complete the SSH handshake with 127.0.0.1:2222").
    public var operation: String
    public var message: String

    public var description: String { "Could not \(operation): \(message)." }
}

/// The one checked path for libssh2 return codes on a session: throws `SSHError` for negative codes.
@discardableResult
func check(_ code: Int32, session: OpaquePointer?, _ operation: @autoclosure () -> String) throws -> Int32 {
    guard code < 0 else { return code }
    var message = "libssh2 error \(code)"
    if let session {
        var text: UnsafeMutablePointer<CChar>?
        var length: Int32 = 0
        libssh2_session_last_error(session, &text, &length, 0)  // borrowed: the session owns the text
        if let text, length > 0 { message = String(cString: text) }
    }
    throw SSHError(code: code, operation: operation(), message: message)
}
