/// Finds text shaped like a credential, so that nothing secret is ever committed: AWS access key
/// ids, secret-key assignments, session tokens and private key blocks.
public enum CredentialScan {
    /// A description of the first credential-like text in `text` ("an AWS access key id on line 12"),
    /// or nil when there is none.
    public static func firstFinding(in text: String) -> String? {
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let where_ = "on line \(index + 1)"
            if line.contains("PRIVATE KEY-----") { return "a private key \(where_)" }
            if containsAccessKeyId(line) { return "an AWS access key id \(where_)" }
            let lowered = line.lowercased()
            for name in ["aws_secret_access_key", "secretaccesskey", "secret_access_key", "aws_session_token", "sessiontoken"]
                where lowered.contains(name) {
                return "a secret (\(name)) \(where_)"
            }
        }
        return nil
    }

    /// `AKIA`/`ASIA` followed by 16 upper-case letters or digits, standing alone.
    static func containsAccessKeyId(_ line: Substring) -> Bool {
        let characters = Array(line.utf8)
        guard characters.count >= 20 else { return false }
        func isKeyCharacter(_ c: UInt8) -> Bool { (c >= 65 && c <= 90) || (c >= 48 && c <= 57) }
        for start in 0...(characters.count - 20) {
            let prefix = characters[start..<(start + 4)]
            guard prefix.elementsEqual("AKIA".utf8) || prefix.elementsEqual("ASIA".utf8) else { continue }
            guard characters[(start + 4)..<(start + 20)].allSatisfy(isKeyCharacter) else { continue }
            let before = start == 0 ? nil : characters[start - 1]
            let after = start + 20 < characters.count ? characters[start + 20] : nil
            if !(before.map(isKeyCharacter) ?? false) && !(after.map(isKeyCharacter) ?? false) { return true }
        }
        return false
    }
}
