#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A connected TCP socket (owns the file descriptor and closes it once).
final class TCPConnection {
    let descriptor: Int32

    /// Resolves `host` (a name, an IPv4 or an IPv6 address) and connects to the first address that
    /// answers, waiting at most `timeoutMilliseconds` per address.
    init(host: String, port: Int, timeoutMilliseconds: Int) throws {
        let operation = "connect to \(host):\(port)"
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let resolved = getaddrinfo(host, String(port), &hints, &list)
        guard resolved == 0, let first = list else {
            throw SSHError(.connection, code: resolved, operation: operation, message: String(cString: gai_strerror(resolved)))
        }
        defer { freeaddrinfo(list) }

        var lastError = SSHError(.connection, operation: operation, message: "the name resolved to no address")
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        while let address = candidate {
            candidate = address.pointee.ai_next
            do {
                descriptor = try Self.openSocket(to: address.pointee, timeoutMilliseconds: timeoutMilliseconds, operation: operation)
                return
            } catch let error as SSHError {
                lastError = error
            }
        }
        throw lastError
    }

    deinit { close(descriptor) }

    /// Connects one socket without blocking longer than the timeout; returns it in blocking mode.
    private static func openSocket(to address: addrinfo, timeoutMilliseconds: Int, operation: String) throws -> Int32 {
        let fd = socket(address.ai_family, address.ai_socktype, address.ai_protocol)
        guard fd >= 0 else { throw errnoError(operation) }
        var keep = false
        defer { if !keep { close(fd) } }

        let flags = fcntl(fd, F_GETFL, 0)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        if connect(fd, address.ai_addr, address.ai_addrlen) != 0 {
            guard errno == EINPROGRESS else { throw errnoError(operation) }
            var descriptor = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            let ready = poll(&descriptor, 1, Int32(clamping: timeoutMilliseconds))
            if ready == 0 {
                throw SSHError(.timeout, code: ETIMEDOUT, operation: operation,
                               message: "no answer within \(Duration.milliseconds(timeoutMilliseconds).secondsText)")
            }
            guard ready > 0 else { throw errnoError(operation) }
            var socketError: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &socketError, &length)
            guard socketError == 0 else {
                throw SSHError(.connection, code: socketError, operation: operation, message: String(cString: strerror(socketError)))
            }
        }
        _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK)
        var on: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
        keep = true
        return fd
    }

    private static func errnoError(_ operation: String) -> SSHError {
        let code = errno
        return SSHError(.connection, code: code, operation: operation, message: String(cString: strerror(code)))
    }
}

extension Duration {
    /// "3 s" or "0.25 s": for messages.
    var secondsText: String {
        let (seconds, attoseconds) = components
        if attoseconds == 0 { return "\(seconds) s" }
        let value = Double(seconds) + Double(attoseconds) / 1e18
        return "\((value * 1000).rounded() / 1000) s"
    }
}
