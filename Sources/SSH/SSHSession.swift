import CSSH2
#if canImport(Glibc)
import Glibc
#endif

/// A TCP connection with a completed SSH handshake (owns the socket and the libssh2 session).
public final class SSHSession {
    let session: OpaquePointer
    private let socket: Int32
    public let host: String
    public let port: UInt16

    /// Connects to `host:port` (an IPv4 address) and completes the SSH handshake, waiting at most
    /// `timeoutMilliseconds` for each blocking step.
    public init(host: String, port: UInt16, timeoutMilliseconds: Int = 10_000) throws {
        SSHLibrary.initialize()
        self.host = host
        self.port = port
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SSHError(code: errno, operation: "open a socket", message: String(cString: strerror(errno))) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            close(fd)
            throw SSHError(code: -1, operation: "connect to \(host):\(port)", message: "not an IPv4 address")
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw SSHError(code: errno, operation: "connect to \(host):\(port)", message: reason)
        }
        guard let session = libssh2_session_init_ex(nil, nil, nil, nil) else {
            close(fd)
            throw SSHError(code: -1, operation: "start an SSH session", message: "out of memory")
        }
        libssh2_session_set_timeout(session, timeoutMilliseconds)
        do {
            try check(libssh2_session_handshake(session, fd), session: session, "complete the SSH handshake with \(host):\(port)")
        } catch {
            libssh2_session_free(session)
            close(fd)
            throw error
        }
        self.session = session
        self.socket = fd
    }

    deinit {
        libssh2_session_disconnect_ex(session, SSH_DISCONNECT_BY_APPLICATION, "bye", "")
        libssh2_session_free(session)
        close(socket)
    }

    /// The server's host key fingerprint: SHA-256, base64 without padding, as `ssh-keygen -l` prints it after `SHA256:`.
    public var hostKeySHA256: String? {
        guard let hash = libssh2_hostkey_hash(session, LIBSSH2_HOSTKEY_HASH_SHA256) else { return nil }
        let bytes = UnsafeRawPointer(hash).assumingMemoryBound(to: UInt8.self)
        return Base64.encodeWithoutPadding(UnsafeBufferPointer(start: bytes, count: 32))
    }
}

/// Minimal base64 for fingerprints (no Foundation in this module).
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")

    static func encodeWithoutPadding(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var out = ""
        var i = 0
        while i < bytes.count {
            let chunk = Array(bytes[i..<min(i + 3, bytes.count)])
            let value = (UInt32(chunk[0]) << 16) | (UInt32(chunk.count > 1 ? chunk[1] : 0) << 8) | UInt32(chunk.count > 2 ? chunk[2] : 0)
            for j in 0..<(chunk.count + 1) { out.append(alphabet[Int((value >> (18 - 6 * UInt32(j))) & 0x3F)]) }
            i += 3
        }
        return out
    }
}
