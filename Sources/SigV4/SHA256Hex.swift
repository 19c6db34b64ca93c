import Crypto
import Foundation

/// Lower-case hex SHA-256 digests, the form SigV4 uses for payload hashes.
public enum SHA256Hex {
    /// The hash of an empty payload (`e3b0c442…b855`).
    public static let emptyPayload = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    /// The literal S3 accepts in place of a payload hash when the body is not hashed.
    public static let unsignedPayload = "UNSIGNED-PAYLOAD"

    /// Hex SHA-256 of `data`.
    public static func hash(_ data: Data) -> String {
        hex(SHA256.hash(data: data))
    }

    /// Hex SHA-256 of the UTF-8 bytes of `string`.
    public static func hash(_ string: String) -> String {
        hex(SHA256.hash(data: Data(string.utf8)))
    }

    /// Hex SHA-256 of `length` bytes of the file at `path` starting at `offset` (the whole
    /// rest of the file when `length` is nil), read in chunks so large files never sit in
    /// memory. Throws when the file cannot be opened or is shorter than asked.
    public static func hashFile(atPath path: String, offset: UInt64 = 0, length: UInt64? = nil,
                                chunkSize: Int = 1 << 20) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw FileHashingError(path: path, reason: "cannot be opened for reading")
        }
        defer { try? handle.close() }
        do {
            try handle.seek(toOffset: offset)
        } catch {
            throw FileHashingError(path: path, reason: "cannot seek to byte \(offset)")
        }
        var hasher = SHA256()
        var remaining = length
        while remaining != 0 {
            let wanted = remaining.map { Int(min(UInt64(chunkSize), $0)) } ?? chunkSize
            let chunk: Data
            do {
                chunk = try handle.read(upToCount: wanted) ?? Data()
            } catch {
                throw FileHashingError(path: path, reason: "read failed: \(error.localizedDescription)")
            }
            if chunk.isEmpty {
                if let remaining {
                    throw FileHashingError(path: path, reason: "ended \(remaining) bytes before the requested range")
                }
                break
            }
            hasher.update(data: chunk)
            remaining = remaining.map { $0 - UInt64(chunk.count) }
        }
        return hex(hasher.finalize())
    }

    static func hex(_ digest: some Sequence<UInt8>) -> String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in digest {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// A file could not be hashed.
public struct FileHashingError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "Cannot hash \(path): \(reason)." }
}
