import AWS
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// moto (`python3 -m moto.server`) on a free loopback port, for the configuration tests: it
/// serves the AWS APIs and an instance metadata service (IMDSv2 token, role, credentials).
/// Stopped on `stop()` or when released.
final class ConfigurationMotoServer {
    let port: Int
    private let process: Process

    var endpoint: String { "http://127.0.0.1:\(port)" }

    init() throws {
        port = try Self.freeLoopbackPort()
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-m", "moto.server", "-H", "127.0.0.1", "-p", String(port)]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()

        let probe = CurlTransport()
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let reply = try? probe.send(HTTPRequest(method: "PUT", url: endpoint + "/latest/api/token")), reply.status == 200 {
                return
            }
            guard process.isRunning else { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        stop()
        throw StartError(description: "moto did not answer on \(endpoint) (is `moto[server]` installed? scripts/setup installs it)")
    }

    deinit { stop() }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    struct StartError: Error, CustomStringConvertible {
        var description: String
    }

    /// A port nothing listens on right now (bound to port 0, read back, released).
    static func freeLoopbackPort() throws -> Int {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { throw StartError(description: "socket() failed") }
        defer { close(socketFD) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw StartError(description: "bind() failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketFD, $0, &length) }
        }
        guard named == 0 else { throw StartError(description: "getsockname() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// Passes requests to a real transport and remembers their URLs (to prove a step was or was
/// not taken).
final class RecordingTransport: HTTPTransport, @unchecked Sendable {
    private let inner: any HTTPTransport
    private let lock = NSLock()
    private var urls: [String] = []

    init(_ inner: any HTTPTransport) { self.inner = inner }

    var requestedURLs: [String] { lock.withLock { urls } }

    func send(_ request: HTTPRequest, sink: HTTPResponseSink) throws -> HTTPResponse {
        lock.withLock { urls.append(request.url) }
        return try inner.send(request, sink: sink)
    }
}
