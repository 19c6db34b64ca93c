import CSSH2

/// One libssh2 channel (owned: freed exactly once, by `free()` or deinit). Used in non-blocking mode by `exec`.
final class SSHChannel {
    let pointer: OpaquePointer
    private unowned let session: SSHSession
    private var freed = false
    private var abandoned = false

    /// libssh2's defaults for a session channel (LIBSSH2_CHANNEL_WINDOW_DEFAULT, LIBSSH2_CHANNEL_PACKET_DEFAULT).
    static let windowSize: UInt32 = 2 * 1024 * 1024
    static let packetSize: UInt32 = 32_768

    /// Opens a "session" channel, waiting on the socket while libssh2 says EAGAIN.
    init(session: SSHSession, deadline: ContinuousClock.Instant?, operation: String) throws {
        self.session = session
        while true {
            if let channel = libssh2_channel_open_ex(session.handle, "session", 7, Self.windowSize, Self.packetSize, nil, 0) {
                pointer = channel
                return
            }
            let code = libssh2_session_last_errno(session.handle)
            guard code == LIBSSH2_ERROR_EAGAIN else {
                try check(code < 0 ? code : LIBSSH2_ERROR_CHANNEL_FAILURE, session: session.handle, operation)
                throw SSHError(.protocolError, code: code, operation: operation, message: "libssh2 returned no channel")
            }
            guard try session.waitForSocket(until: deadline) else {
                throw SSHError(.timeout, code: LIBSSH2_ERROR_TIMEOUT, operation: operation, message: "the server did not open a channel in time")
            }
        }
    }

    /// Repeats a non-blocking call while it returns EAGAIN, waiting on the socket in between;
    /// returns its result (checked) or nil if the deadline passed first.
    func retrying(until deadline: ContinuousClock.Instant?, _ operation: @autoclosure () -> String, _ call: () -> Int32) throws -> Int32? {
        while true {
            let code = call()
            if code != LIBSSH2_ERROR_EAGAIN { return try check(code, session: session.handle, operation()) }
            guard try session.waitForSocket(until: deadline) else { return nil }
        }
    }

    /// Frees the channel (closing it first if needed), waiting at most until `deadline` for the server's
    /// answer. A server still running the command does not answer a close until the command ends; past
    /// the deadline the channel is abandoned instead (its close is sent, and libssh2 frees it with the session).
    func free(until deadline: ContinuousClock.Instant) {
        guard !freed else { return }
        while libssh2_channel_free(pointer) == LIBSSH2_ERROR_EAGAIN {
            guard (try? session.waitForSocket(until: deadline)) == true else {
                abandoned = true
                return
            }
        }
        freed = true
    }

    deinit {
        guard !freed, !abandoned else { return }
        let saved = libssh2_session_get_blocking(session.handle)
        libssh2_session_set_blocking(session.handle, 1)
        _ = libssh2_channel_free(pointer)
        libssh2_session_set_blocking(session.handle, saved)
    }
}
