import CCurl
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Feeds a request body to libcurl's read callback, from memory or from a slice of a file,
/// and rewinds it when libcurl has to send the body again.
final class UploadSource {
    private enum Storage {
        case bytes(Data)
        case file(descriptor: Int32, offset: UInt64)
    }

    private let storage: Storage
    /// Total bytes to send.
    let length: UInt64
    private var position: UInt64 = 0
    /// Set when reading the file failed mid-transfer; the transfer is then aborted.
    private(set) var failure: String?

    init(_ body: CurlRequestBody) throws {
        switch body {
        case .empty:
            storage = .bytes(Data())
            length = 0
        case .bytes(let data):
            storage = .bytes(data)
            length = UInt64(data.count)
        case .file(let path, let offset, let length):
            let descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else {
                throw LocalFileFailure(code: .readError, reason: "cannot open \(path): \(String(cString: strerror(errno)))")
            }
            var info = stat()
            guard fstat(descriptor, &info) == 0 else {
                let reason = "cannot read \(path): \(String(cString: strerror(errno)))"
                close(descriptor)
                throw LocalFileFailure(code: .readError, reason: reason)
            }
            let size = UInt64(max(0, info.st_size))
            guard offset <= size, length <= size - offset else {
                close(descriptor)
                throw LocalFileFailure(
                    code: .readError,
                    reason: "\(path) has \(size) bytes; cannot send \(length) bytes from offset \(offset)"
                )
            }
            storage = .file(descriptor: descriptor, offset: offset)
            self.length = length
        }
    }

    deinit {
        if case .file(let descriptor, _) = storage { close(descriptor) }
    }

    /// Copies up to `capacity` bytes into `buffer`; returns the count, 0 at the end, or
    /// `CURL_READFUNC_ABORT` when the file cannot be read.
    func read(into buffer: UnsafeMutablePointer<CChar>, capacity: Int) -> Int {
        let wanted = Int(min(UInt64(capacity), length - position))
        guard wanted > 0 else { return 0 }
        switch storage {
        case .bytes(let data):
            let start = data.startIndex + Int(position)
            data.copyBytes(to: UnsafeMutableRawPointer(buffer).assumingMemoryBound(to: UInt8.self), from: start..<(start + wanted))
            position += UInt64(wanted)
            return wanted
        case .file(let descriptor, let offset):
            var got: Int
            repeat {
                got = pread(descriptor, buffer, wanted, off_t(offset + position))
            } while got < 0 && errno == EINTR
            guard got > 0 else {
                failure = got == 0
                    ? "the body file ended \(length - position) bytes early"
                    : "cannot read the body file: \(String(cString: strerror(errno)))"
                return Int(CURL_READFUNC_ABORT)
            }
            position += UInt64(got)
            return got
        }
    }

    /// Moves to `offset` from the start of the body; false if out of range.
    func seek(to offset: Int64) -> Bool {
        guard offset >= 0, UInt64(offset) <= length else { return false }
        position = UInt64(offset)
        return true
    }
}

/// A local file problem found outside libcurl; turned into a `CurlError` by `CurlEasy`.
struct LocalFileFailure: Error {
    let code: CurlCode
    let reason: String
}
