import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Receives the status line, headers and body from libcurl's callbacks. Keeps only the
/// final response's headers (a `100 Continue` or any interim response starts over).
final class ResponseCollector {
    private(set) var status = 0
    private(set) var headers: [(name: String, value: String)] = []
    private(set) var body = Data()
    /// Set when writing the destination file failed; the transfer is then aborted.
    private(set) var failure: String?

    private let destination: String?
    private var temporaryPath: String?
    private var descriptor: Int32 = -1

    init(_ sink: CurlResponseSink) {
        switch sink {
        case .memory: destination = nil
        case .file(let path): destination = path
        }
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
        if let temporaryPath { unlink(temporaryPath) }
    }

    /// One header line as libcurl delivers it (with its CRLF).
    func receiveHeaderLine(_ line: String) {
        let trimmed = line.trimmingCharacters(in: CharacterSet(charactersIn: "\r\n"))
        if trimmed.hasPrefix("HTTP/") {
            headers = []
            let parts = trimmed.split(separator: " ", maxSplits: 2)
            status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        } else if trimmed.first == " " || trimmed.first == "\t", let last = headers.popLast() {
            headers.append((last.name, last.value + " " + trimmed.trimmingCharacters(in: .whitespaces)))
        } else if let colon = trimmed.firstIndex(of: ":") {
            let name = String(trimmed[..<colon])
            let value = trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers.append((name, value))
        }
    }

    /// Body bytes; returns how many were taken (fewer than `count` makes libcurl abort).
    func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard let destination, (200..<300).contains(status) else {
            body.append(contentsOf: bytes)
            return bytes.count
        }
        if descriptor < 0 {
            guard openTemporary(beside: destination) else { return 0 }
        }
        var written = 0
        while written < bytes.count {
            let result = write(descriptor, bytes.baseAddress! + written, bytes.count - written)
            if result < 0 {
                if errno == EINTR { continue }
                failure = "cannot write \(destination): \(String(cString: strerror(errno)))"
                return 0
            }
            written += result
        }
        return written
    }

    /// After a whole response: moves a streamed 2xx body into place.
    func finish() throws {
        guard let destination, (200..<300).contains(status) else { return }
        if descriptor < 0, !openTemporary(beside: destination) {
            throw LocalFileFailure(code: .writeError, reason: failure ?? "cannot write \(destination)")
        }
        let closed = close(descriptor)
        descriptor = -1
        guard closed == 0, let temporaryPath, rename(temporaryPath, destination) == 0 else {
            throw LocalFileFailure(code: .writeError, reason: "cannot write \(destination): \(String(cString: strerror(errno)))")
        }
        self.temporaryPath = nil
    }

    private func openTemporary(beside destination: String) -> Bool {
        let path = destination + ".ncaas-partial-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            failure = "cannot create \(path): \(String(cString: strerror(errno)))"
            return false
        }
        descriptor = fd
        temporaryPath = path
        return true
    }
}
