import Foundation
import SigV4

/// SHA-256 of a request body, as SigV4 signs it. File bodies are hashed in chunks so a large
/// upload part is never held in memory whole.
enum PayloadHash {
    static func sha256Hex(of body: HTTPBody) throws -> String {
        switch body {
        case .empty:
            return SHA256Hex.emptyPayload
        case .bytes(let data):
            return SHA256Hex.hash(data)
        case .file(let path, let offset, let length):
            do {
                return try SHA256Hex.hashFile(atPath: path, offset: offset, length: length)
            } catch {
                throw AWSClientError(.invalidInput, "\(error)")
            }
        }
    }
}
