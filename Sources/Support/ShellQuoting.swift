/// POSIX shell quoting: a value becomes one word that the shell passes on unchanged.
public enum ShellQuoting {
    /// `'...'` with each `'` written as `'\''`; the empty string is `''`.
    public static func quote(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }

    /// `value` as it is when the shell reads it as one plain word (letters, digits, `._-/+=:,@`),
    /// else quoted: for commands shown to a user.
    public static func quoteIfNeeded(_ value: String) -> String {
        let plain = !value.isEmpty && value.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-/+=:,@".contains($0)) }
        return plain ? value : quote(value)
    }

    /// A path for the remote shell: a leading `~/` (or `~` alone) becomes `"$HOME"`, the rest is quoted.
    public static func quotePath(_ path: String) -> String {
        if path == "~" { return "\"$HOME\"" }
        if path.hasPrefix("~/") { return "\"$HOME\"/" + quote(String(path.dropFirst(2))) }
        return quote(path)
    }

    /// A command given as arguments, for a remote shell, as `docker exec` and `kubectl exec` take it:
    /// one argument is a shell command line, run as written (`'pip list | grep numpy'`); several are
    /// an argv, each passed as one word (`sh -c 'exit 7'` runs `sh` with `-c` and `exit 7`).
    public static func commandLine(_ arguments: [String]) -> String {
        arguments.count == 1 ? arguments[0] : arguments.map(quote).joined(separator: " ")
    }
}
