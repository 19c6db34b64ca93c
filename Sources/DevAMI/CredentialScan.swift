import Foundation

/// Finds text shaped like a credential, so that nothing secret is ever committed: AWS access key
/// ids, secrets and session tokens given a value, and private key blocks. A name alone is not a
/// credential: a COMMAND that masks `AWS_SECRET_ACCESS_KEY` with `sed`, or passes
/// `$AWS_SESSION_TOKEN` along, holds no secret.
public enum CredentialScan {
    /// A description of the first credential-like text in `text` ("an AWS access key id on line 12"),
    /// or nil when there is none.
    public static func firstFinding(in text: String) -> String? {
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let where_ = "on line \(index + 1)"
            if line.contains("PRIVATE KEY-----") { return "a private key \(where_)" }
            if containsAccessKeyId(line) { return "an AWS access key id \(where_)" }
            if let name = secretAssignment(in: String(line)) { return "a secret (\(name)) \(where_)" }
        }
        return nil
    }

    /// The first file of `files` (name and bytes; files with a NUL byte are not text and are
    /// skipped) holding credential-like text, as "a secret (aws_secret_access_key) on line 4 of
    /// setup.sh", or nil.
    public static func firstFinding(inFiles files: [(name: String, contents: [UInt8])]) -> String? {
        for file in files where !file.contents.contains(0) {
            if let finding = firstFinding(in: String(decoding: file.contents, as: UTF8.self)) { return "\(finding) of \(file.name)" }
        }
        return nil
    }

    static let secretNames = ["aws_secret_access_key", "secretaccesskey", "secret_access_key", "aws_session_token", "sessiontoken"]

    /// The secret's name when `line` gives one a value: the name, then `=` or `:` (quotes and spaces
    /// around them allowed), then 16 or more characters of a key or token (letters, digits, `/+=`).
    static func secretAssignment(in line: String) -> String? {
        let lowered = line.lowercased()
        for name in secretNames {
            var searchStart = lowered.startIndex
            while let range = lowered.range(of: name, range: searchStart..<lowered.endIndex) {
                searchStart = range.upperBound
                var rest = Substring(lowered[range.upperBound...]).drop { $0 == "\"" || $0 == "'" || $0 == " " || $0 == "\t" }
                guard let separator = rest.first, separator == "=" || separator == ":" else { continue }
                rest = rest.dropFirst().drop { $0 == "\"" || $0 == "'" || $0 == " " || $0 == "\t" }
                let value = rest.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || "/+=".contains($0)) }
                if value.count >= 16 { return name }
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
