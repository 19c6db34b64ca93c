import Crypto
import Foundation

/// An independent SHA-256 for tests (straight from swift-crypto), so expectations do not
/// come from the code under test.
enum SHA256Hash {
    static func hex(of data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}
