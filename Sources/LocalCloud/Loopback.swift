import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// TCP on 127.0.0.1: free ports, and whether something answers on a port.
public enum Loopback {
    /// A port that was free a moment ago (bind 127.0.0.1:0, read the port, close).
    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw LocalCloudError(.failed, "Could not create a socket: \(String(cString: strerror(errno))).") }
        defer { close(fd) }
        var address = loopbackAddress(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw LocalCloudError(.failed, "Could not bind 127.0.0.1:0: \(String(cString: strerror(errno))).") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw LocalCloudError(.failed, "Could not read a bound port: \(String(cString: strerror(errno))).") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Whether 127.0.0.1:`port` can be bound right now.
    public static func isFree(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var reuse: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = loopbackAddress(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    /// Connects to 127.0.0.1:`port` and returns the first line the server sends, waiting at
    /// most `timeout` seconds; nil when nothing listens or nothing is said in time.
    public static func greeting(port: Int, timeout: TimeInterval) -> String? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var address = loopbackAddress(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return nil }
        var wait = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - floor(timeout)) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 256)
        while bytes.count < 1024 {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { break }
            bytes += buffer[0..<n]
            if bytes.contains(UInt8(ascii: "\n")) { break }
        }
        guard let line = String(decoding: bytes, as: UTF8.self).split(separator: "\n").first else { return nil }
        return line.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Whether anything accepts connections on 127.0.0.1:`port`.
    public static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = loopbackAddress(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    /// Polls until an SSH server greets on `port` (its `SSH-2.0-` banner), `stillAlive` says
    /// false, or the deadline passes. Returns whether the banner came.
    public static func waitForSSH(port: Int, deadline: Date, stillAlive: () -> Bool = { true }) -> Bool {
        var delay = 0.01
        while Date() < deadline {
            if let line = greeting(port: port, timeout: 1), line.hasPrefix("SSH-2.0-") { return true }
            if !stillAlive() { return false }
            Thread.sleep(forTimeInterval: delay)
            delay = min(delay * 1.5, 0.2)
        }
        return false
    }

    static func loopbackAddress(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}
