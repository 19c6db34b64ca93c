import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// How a session treats a host whose key is not pinned yet.
public enum HostKeyPolicy: Sendable {
    /// Trust on first use: pin the key offered on first contact, refuse a different key afterwards.
    case pinOnFirstContact
    /// Refuse any host whose key is not pinned already.
    case requirePinned
}

/// What `KnownHosts.verify` concluded.
public enum HostKeyVerification: Equatable, Sendable {
    /// The offered key matches a pinned key.
    case matched
    /// Nothing was pinned for the name; the offered key is pinned now.
    case pinned
}

/// Host key pins in an OpenSSH known_hosts file, so that the system `ssh` client can use the same
/// file (`ssh -o UserKnownHostsFile=PATH`, plus `-o HostKeyAlias=NAME` when pins are named after
/// an instance rather than an address).
///
/// Each pin is one plain line `NAME TYPE BASE64`, where NAME is `[host]:port` (or `host` for
/// port 22), as OpenSSH writes it, or any alias the caller chooses (an instance id, so that a
/// new instance that reuses an address is not mistaken for an impostor). Hashed names
/// (`|1|...`), wildcard patterns and `@cert-authority`/`@revoked` lines written by other tools are
/// kept untouched but never match. Every change rewrites the file atomically.
public struct KnownHosts: Sendable {
    /// The known_hosts file (created with its folder on the first pin).
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// The name OpenSSH looks up for an address: `host` for port 22, `[host]:port` otherwise.
    public static func entryName(host: String, port: Int) -> String {
        port == 22 ? host : "[\(host)]:\(port)"
    }

    /// The keys pinned for `name`, in file order (empty if the file or the name is absent).
    public func keys(for name: String) throws -> [SSHPublicKey] {
        try lines().compactMap { Entry(line: $0) }.filter { $0.names.contains(name) }.map(\.key)
    }

    /// Adds a pin for `name` (no-op if exactly this key is pinned for it already).
    public func pin(_ key: SSHPublicKey, for name: String) throws {
        guard !name.isEmpty, !name.contains(where: { $0 == " " || $0 == "," || $0 == "\n" }) else {
            throw SSHError(.localFile, operation: "pin a host key in \(path)", message: "\"\(name)\" is not a valid host name for a known_hosts line")
        }
        try whileLocked {
            var current = try lines()
            if current.compactMap({ Entry(line: $0) }).contains(where: { $0.names.contains(name) && $0.key == key }) { return }
            current.append("\(name) \(key.type) \(key.base64)")
            try write(current)
        }
    }

    /// Removes every pin for `name` (lines naming other hosts too lose only this name); returns how many lines changed.
    @discardableResult
    public func forget(_ name: String) throws -> Int {
        try whileLocked {
            var changed = 0
            let kept: [String] = try lines().compactMap { line in
                guard let entry = Entry(line: line), entry.names.contains(name) else { return line }
                changed += 1
                let others = entry.names.filter { $0 != name }
                return others.isEmpty ? nil : "\(others.joined(separator: ",")) \(entry.key.type) \(entry.key.base64)"
            }
            if changed > 0 { try write(kept) }
            return changed
        }
    }

    /// Checks `offered` against the pins for `name`: `.matched` if one of them is this key; if none is
    /// pinned, pins it (`.pinned`) or refuses it, by `policy`; throws `SSHError` of kind
    /// `.hostKeyMismatch` if other keys are pinned, naming both fingerprints and how to reset the pin.
    public func verify(_ offered: SSHPublicKey, for name: String, policy: HostKeyPolicy = .pinOnFirstContact) throws -> HostKeyVerification {
        let pinned = try keys(for: name)
        if pinned.contains(offered) { return .matched }
        if pinned.isEmpty {
            guard policy == .pinOnFirstContact else {
                throw SSHError(.hostKeyMismatch, operation: "verify the host key of \(name)",
                               message: "no key is pinned for it in \(path) and the policy requires one (it offered \(offered.type) \(offered.fingerprint))")
            }
            try pin(offered, for: name)
            return .pinned
        }
        let pinnedText = pinned.map(\.fingerprint).joined(separator: " or ")
        throw SSHError(.hostKeyMismatch, operation: "verify the host key of \(name)",
                       message: "it offered \(offered.type) \(offered.fingerprint), but \(pinnedText) is pinned for it in \(path); the host was replaced or someone is intercepting the connection",
                       hint: "If the host was legitimately replaced, remove the pin with `ssh-keygen -R '\(name)' -f \(path)` and connect again.")
    }

    // MARK: - File access

    private func lines() throws -> [String] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        do {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            return text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty }
        } catch {
            throw SSHError(.localFile, operation: "read the known hosts file \(path)", message: "\(error.localizedDescription)")
        }
    }

    /// Runs a read-modify-write of the file while holding an exclusive lock on `PATH.lock`, so that two
    /// ncaas processes pinning at once do not lose each other's lines.
    private func whileLocked<T>(_ body: () throws -> T) throws -> T {
        let operation = "lock the known hosts file \(path)"
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        let fd = open(path + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw LocalFile.error(errno, path: path + ".lock", operation: operation) }
        defer { close(fd) }  // closing releases the lock
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw LocalFile.error(errno, path: path + ".lock", operation: operation) }
        }
        return try body()
    }

    private func write(_ lines: [String]) throws {
        let text = lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
        try AtomicFile.replace(path, with: Data(text.utf8), mode: 0o644, operation: "write the known hosts file \(path)")
    }
}

/// One parsed known_hosts line without a marker: the names it applies to and its key.
private struct Entry {
    let names: [String]
    let key: SSHPublicKey

    init?(line: String) {
        let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard fields.count >= 3, !fields[0].hasPrefix("#"), !fields[0].hasPrefix("@"),
              let key = SSHPublicKey(type: fields[1], base64: fields[2]) else { return nil }
        self.names = fields[0].split(separator: ",").map(String.init)
        self.key = key
    }
}
