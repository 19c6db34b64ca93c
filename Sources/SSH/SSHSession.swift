import CSSH2
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An authenticated SSH connection: owns the TCP socket and the libssh2 session and frees them once.
///
/// Opening one connects (with `connectTimeout`), completes the handshake, checks the host key against
/// the pins in `options.knownHosts` (pinning it on first contact), then logs in with the private key.
/// Use one session from one thread at a time; run commands with `exec` and move files with `sftp()`.
public final class SSHSession {
    private let owner: SessionHandle
    /// The libssh2 session pointer (owned by `owner`).
    var handle: OpaquePointer { owner.pointer }
    private var connection: TCPConnection { owner.connection }
    public let options: SSHConnectionOptions
    /// The server's host key, as offered during the handshake.
    public let hostKey: SSHPublicKey
    /// Whether the host key was already pinned or was pinned by this connection.
    public let hostKeyVerification: HostKeyVerification

    public init(_ options: SSHConnectionOptions) throws {
        SSHLibrary.initialize()
        self.options = options
        let address = options.address
        let pinnedKeys = try options.knownHosts.keys(for: options.hostKeyName)
        let connection = try TCPConnection(host: options.host, port: options.port, timeoutMilliseconds: options.connectTimeout.milliseconds)
        owner = try SessionHandle(connection: connection, address: address)
        // From here on `owner` frees the session and the socket, whatever fails next.
        let session = owner.pointer
        libssh2_session_set_blocking(session, 1)
        libssh2_session_set_timeout(session, options.connectTimeout.milliseconds)
        Self.preferHostKeyTypes(pinnedKeys.map(\.type), session: session)

        do {
            try check(libssh2_session_handshake(session, connection.descriptor), session: session, "complete the SSH handshake with \(address)")
        } catch var error as SSHError {
            if error.code == LIBSSH2_ERROR_TIMEOUT { error.message = "no answer within \(options.connectTimeout.secondsText)" }
            throw error
        }

        var length = 0
        var type: Int32 = 0
        guard let raw = libssh2_session_hostkey(session, &length, &type), length > 0 else {
            throw SSHError(.protocolError, operation: "read the host key of \(address)", message: lastErrorMessage(session, code: -1))
        }
        let blob = [UInt8](UnsafeRawBufferPointer(start: raw, count: length))  // borrowed: copied before the session moves on
        guard let key = SSHPublicKey(blob: blob) else {
            throw SSHError(.protocolError, operation: "read the host key of \(address)", message: "the server sent a malformed key")
        }
        hostKey = key
        hostKeyVerification = try options.knownHosts.verify(key, for: options.hostKeyName, policy: options.hostKeyPolicy)

        libssh2_session_set_timeout(session, options.operationTimeout.milliseconds)
        try authenticate()
        if let interval = options.keepaliveInterval {
            libssh2_keepalive_config(session, 1, UInt32(max(1, interval.components.seconds)))
        }
    }

    /// The negotiated cipher (client to server), like "aes128-ctr": for diagnostics.
    public var cipher: String? {
        libssh2_session_methods(handle, LIBSSH2_METHOD_CRYPT_CS).map { String(cString: $0) }
    }

    /// Sends a keepalive if one is due (see `keepaliveInterval`); returns the seconds until the next one is.
    @discardableResult
    public func sendKeepaliveIfDue() throws -> Int {
        var next: Int32 = 0
        try check(libssh2_keepalive_send(handle, &next), session: handle, "send a keepalive to \(options.address)")
        return Int(next)
    }

    // MARK: - Authentication

    private func authenticate() throws {
        let options = self.options
        let operation = "log in to \(options.address) as \(options.user) with the key \(options.privateKeyPath)"
        guard FileManager.default.isReadableFile(atPath: options.privateKeyPath) else {
            throw SSHError(.authentication, code: ENOENT, operation: operation, message: "the key file does not exist or is not readable")
        }
        let publicKeyPath = options.privateKeyPath + ".pub"
        let hasPublicKey = FileManager.default.isReadableFile(atPath: publicKeyPath)
        let code = libssh2_userauth_publickey_fromfile_ex(
            handle, options.user, UInt32(options.user.utf8.count),
            hasPublicKey ? publicKeyPath : nil, options.privateKeyPath, nil)
        do {
            try check(code, session: handle, operation)
        } catch var error as SSHError {
            switch code {
            case LIBSSH2_ERROR_AUTHENTICATION_FAILED, LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED:
                error.kind = .authentication
                error.message = "the server refused this key for this user (\(error.message))"
                error.hint = "Check that the instance was launched with this key pair and that the user name is right."
            case LIBSSH2_ERROR_FILE, LIBSSH2_ERROR_KEYFILE_AUTH_FAILED:
                error.kind = .authentication
                error.message = "the key file could not be used (\(error.message))"
            default:
                break
            }
            throw error
        }
    }

    /// Puts the key types already pinned for this host first in the host key negotiation, so that the
    /// server presents the key that was pinned (OpenSSH does the same).
    private static func preferHostKeyTypes(_ pinnedTypes: [String], session: OpaquePointer) {
        guard !pinnedTypes.isEmpty else { return }
        var algorithms: UnsafeMutablePointer<UnsafePointer<CChar>?>?
        let count = libssh2_session_supported_algs(session, LIBSSH2_METHOD_HOSTKEY, &algorithms)
        guard count > 0, let algorithms else { return }
        defer { libssh2_free(session, algorithms) }  // the array is ours; its strings are libssh2's
        let supported = (0..<Int(count)).compactMap { algorithms[$0].map { String(cString: $0) } }
        let preferred = pinnedTypes.filter(supported.contains)
        guard !preferred.isEmpty else { return }
        var seen = Set<String>()
        let order = (preferred + supported).filter { seen.insert($0).inserted }
        _ = libssh2_session_method_pref(session, LIBSSH2_METHOD_HOSTKEY, order.joined(separator: ","))
    }

    // MARK: - Waiting on the socket (non-blocking mode)

    /// Runs `body` with the session in non-blocking mode, restoring blocking mode afterwards.
    func withNonBlocking<T>(_ body: () throws -> T) rethrows -> T {
        libssh2_session_set_blocking(handle, 0)
        defer { libssh2_session_set_blocking(handle, 1) }
        return try body()
    }

    /// Waits at most `milliseconds` for the socket to become ready in the directions libssh2 last blocked
    /// on (either direction if none): for blocking-mode calls that return "nothing done" instead of
    /// blocking, such as an SFTP write waiting for the server to open its window.
    func pause(atMost milliseconds: Int32) {
        let directions = libssh2_session_block_directions(handle)
        var events: Int16 = 0
        if directions & LIBSSH2_SESSION_BLOCK_INBOUND != 0 { events |= Int16(POLLIN) }
        if directions & LIBSSH2_SESSION_BLOCK_OUTBOUND != 0 { events |= Int16(POLLOUT) }
        if events == 0 { events = Int16(POLLIN | POLLOUT) }
        var descriptor = pollfd(fd: connection.descriptor, events: events, revents: 0)
        _ = poll(&descriptor, 1, milliseconds)
    }

    /// Waits until the socket is ready in the directions libssh2 is blocked on (or `extra` is readable),
    /// at most until `deadline` and never past the next keepalive, which it sends.
    /// Returns false if the deadline passed.
    func waitForSocket(until deadline: ContinuousClock.Instant?, extra: Int32? = nil) throws -> Bool {
        var limit = 1_000
        if options.keepaliveInterval != nil {
            var next: Int32 = 0
            let code = libssh2_keepalive_send(handle, &next)
            if code != LIBSSH2_ERROR_EAGAIN {
                try check(code, session: handle, "send a keepalive to \(options.address)")
            }
            limit = max(1, Int(next)) * 1_000
        }
        if let deadline {
            let remaining = ContinuousClock.now.duration(to: deadline)
            if remaining <= .zero { return false }
            limit = min(limit, remaining.milliseconds)
        }
        let directions = libssh2_session_block_directions(handle)
        var events: Int16 = 0
        if directions & LIBSSH2_SESSION_BLOCK_INBOUND != 0 { events |= Int16(POLLIN) }
        if directions & LIBSSH2_SESSION_BLOCK_OUTBOUND != 0 { events |= Int16(POLLOUT) }
        if events == 0 { events = Int16(POLLIN) }
        var descriptors = [pollfd(fd: connection.descriptor, events: events, revents: 0)]
        if let extra { descriptors.append(pollfd(fd: extra, events: Int16(POLLIN), revents: 0)) }
        let ready = poll(&descriptors, nfds_t(descriptors.count), Int32(clamping: limit))
        if ready < 0, errno != EINTR {
            let code = errno
            throw SSHError(.connection, code: code, operation: "wait for \(options.address)", message: String(cString: strerror(code)))
        }
        return true
    }
}

/// Owns one libssh2 session and the socket under it: frees the session, then closes the socket.
private final class SessionHandle {
    let pointer: OpaquePointer
    let connection: TCPConnection

    init(connection: TCPConnection, address: String) throws {
        guard let pointer = libssh2_session_init_ex(nil, nil, nil, nil) else {
            throw SSHError(.protocolError, code: LIBSSH2_ERROR_ALLOC, operation: "start an SSH session with \(address)", message: "libssh2 could not allocate a session")
        }
        self.pointer = pointer
        self.connection = connection
    }

    deinit {
        libssh2_session_set_blocking(pointer, 1)
        libssh2_session_set_timeout(pointer, 2_000)  // never hang on a dead peer while saying goodbye
        libssh2_session_disconnect_ex(pointer, SSH_DISCONNECT_BY_APPLICATION, "ncaas closing", "")
        libssh2_session_free(pointer)
        // `connection` is released after this body and closes the socket.
    }
}
