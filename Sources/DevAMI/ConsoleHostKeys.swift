import SSH

/// The SSH host keys an instance printed on its console at boot, between cloud-init's markers, so
/// that the first connection is checked rather than trusted:
///
///     -----BEGIN SSH HOST KEY KEYS-----
///     ssh-ed25519 AAAA... root@ip-10-0-0-5
///     -----END SSH HOST KEY KEYS-----
///
/// (EC2's console output carries this block on every image with cloud-init; the local cloud's
/// instances print it the same way.)
public enum ConsoleHostKeys {
    static let begin = "-----BEGIN SSH HOST KEY KEYS-----"
    static let end = "-----END SSH HOST KEY KEYS-----"

    /// The keys of the last complete block in `console` (a reboot prints the block again); empty when
    /// there is none yet.
    public static func parse(_ console: String) -> [SSHPublicKey] {
        var keys: [SSHPublicKey] = []
        var current: [SSHPublicKey]?
        for rawLine in console.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            let line = String(rawLine)
            if line.hasSuffix(begin) {
                current = []
            } else if line.hasSuffix(end) {
                if let block = current, !block.isEmpty { keys = block }
                current = nil
            } else if current != nil, let key = SSHPublicKey(openSSHLine: line) {
                current?.append(key)
            }
        }
        return keys
    }
}
