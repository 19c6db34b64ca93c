import Foundation

/// An SSH public key (a server's host key, or the public half of a user's key pair): its algorithm
/// name and the SSH wire-format blob, as a known_hosts or .pub line carries them (`ssh-ed25519 AAAA...`).
public struct SSHPublicKey: Equatable, Sendable {
    /// The algorithm, like "ssh-ed25519" or "ecdsa-sha2-nistp256" (the blob's first field).
    public let type: String
    /// The key in SSH wire format (what a known_hosts line carries in base64).
    public let blob: [UInt8]

    /// Reads the algorithm name from the blob itself (an SSH string: 4-byte length, then the name).
    /// Returns nil if the blob does not start with a plausible name.
    public init?(blob: [UInt8]) {
        guard blob.count > 4 else { return nil }
        let length = Int(blob[0]) << 24 | Int(blob[1]) << 16 | Int(blob[2]) << 8 | Int(blob[3])
        guard length > 0, length <= 64, blob.count >= 4 + length,
              let name = String(bytes: blob[4..<(4 + length)], encoding: .ascii),
              name.allSatisfy({ $0.isLetter || $0.isNumber || "-@.".contains($0) })
        else { return nil }
        self.type = name
        self.blob = blob
    }

    /// Parses the `TYPE BASE64` part of a known_hosts or .pub line; nil if it is not one.
    public init?(type: String, base64: String) {
        guard let data = Data(base64Encoded: base64), let key = SSHPublicKey(blob: [UInt8](data)), key.type == type else { return nil }
        self = key
    }

    /// Parses an OpenSSH public key line, `TYPE BASE64 [COMMENT]` (a .pub file, `ssh-keyscan` output
    /// without the host, a host key file read from an instance); nil if it is not one.
    public init?(openSSHLine line: String) {
        let fields = line.trimmingCharacters(in: .whitespacesAndNewlines).split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard fields.count >= 2 else { return nil }
        self.init(type: String(fields[0]), base64: String(fields[1]))
    }

    /// The blob in base64, as a known_hosts line carries it.
    public var base64: String { Data(blob).base64EncodedString() }

    /// The fingerprint as OpenSSH prints it: "SHA256:" and the unpadded base64 of the blob's SHA-256.
    public var fingerprint: String {
        let digest = Data(SHA256.hash(blob)).base64EncodedString()
        return "SHA256:" + digest.replacingOccurrences(of: "=", with: "")
    }
}
