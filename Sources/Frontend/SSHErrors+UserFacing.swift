import SSH
import Support

extension SSHError: UserFacingError {
    /// 69 when the instance cannot be reached, 77 when it refuses ncaas's key or offers a host key
    /// that does not match its pin, 73 when a local file cannot be written, 1 otherwise.
    public var exitCode: Int32 {
        switch kind {
        case .connection, .timeout: return ExitCodes.unavailable
        case .authentication, .hostKeyMismatch: return ExitCodes.permission
        case .localFile: return ExitCodes.cannotCreate
        case .sftp: return code == 2 ? ExitCodes.noInput : ExitCodes.failure
        case .key, .protocolError: return ExitCodes.failure
        }
    }
}
