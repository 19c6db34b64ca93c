import CSSH2

/// Why an SSH operation failed: one human sentence (`description`), a kind to branch on, and the
/// library's own code (a libssh2 code, an errno, or an SFTP status, depending on `kind`).
public struct SSHError: Error, Equatable, CustomStringConvertible {
    /// What went wrong, coarse enough to branch on.
    public enum Kind: Equatable, Sendable {
        /// The TCP connection could not be made or was lost (refused, unreachable, reset).
        case connection
        /// A connect, an operation or a command ran past its time limit.
        case timeout
        /// The server offered a host key that differs from the pinned one.
        case hostKeyMismatch
        /// The server refused the user or the key.
        case authentication
        /// An SFTP request failed (`code` is the SFTP status, like 2 for "no such file").
        case sftp
        /// A local file or folder could not be read or written (`code` is the errno).
        case localFile
        /// A key pair could not be generated or read.
        case key
        /// Anything else libssh2 reports (`code` is the libssh2 error code).
        case protocolError
    }

    public var kind: Kind
    /// The libssh2 error code, errno or SFTP status (see `Kind`).
    public var code: Int32
    /// What ncaas was doing, as a verb phrase ("connect to 127.0.0.1:2222").
    public var operation: String
    /// Why it failed, usually the library's own message.
    public var message: String
    /// What the user can do about it, if there is something specific.
    public var hint: String?

    public init(_ kind: Kind, code: Int32 = 0, operation: String, message: String, hint: String? = nil) {
        self.kind = kind
        self.code = code
        self.operation = operation
        self.message = message
        self.hint = hint
    }

    public var description: String {
        let sentence = "Could not \(operation): \(message)."
        guard let hint else { return sentence }
        return "\(sentence) \(hint)"
    }
}

/// The one checked path for libssh2 return codes on a session: returns non-negative codes and throws
/// `SSHError` (with libssh2's own message, read right after the call) for negative ones.
@discardableResult
func check(_ code: Int32, session: OpaquePointer?, _ operation: @autoclosure () -> String) throws -> Int32 {
    guard code < 0 else { return code }
    throw SSHError(kind(ofLibSSH2Code: code), code: code, operation: operation(), message: lastErrorMessage(session, code: code))
}

/// libssh2's message for the session's last error, or a generic text naming `code`.
func lastErrorMessage(_ session: OpaquePointer?, code: Int32) -> String {
    guard let session else { return "libssh2 error \(code)" }
    var text: UnsafeMutablePointer<CChar>?
    var length: Int32 = 0
    libssh2_session_last_error(session, &text, &length, 0)  // borrowed: the session owns the text
    guard let text, length > 0 else { return "libssh2 error \(code)" }
    return String(cString: text)
}

/// Maps a libssh2 error code to the kind a caller branches on.
func kind(ofLibSSH2Code code: Int32) -> SSHError.Kind {
    switch code {
    case LIBSSH2_ERROR_TIMEOUT, LIBSSH2_ERROR_SOCKET_TIMEOUT:
        return .timeout
    case LIBSSH2_ERROR_AUTHENTICATION_FAILED, LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED, LIBSSH2_ERROR_KEYFILE_AUTH_FAILED:
        return .authentication
    case LIBSSH2_ERROR_SOCKET_SEND, LIBSSH2_ERROR_SOCKET_RECV, LIBSSH2_ERROR_SOCKET_DISCONNECT, LIBSSH2_ERROR_BANNER_RECV,
         LIBSSH2_ERROR_BANNER_SEND, LIBSSH2_ERROR_BAD_SOCKET, LIBSSH2_ERROR_SOCKET_NONE:
        return .connection
    case LIBSSH2_ERROR_SFTP_PROTOCOL:
        return .sftp
    case LIBSSH2_ERROR_FILE:
        return .key
    default:
        return .protocolError
    }
}
