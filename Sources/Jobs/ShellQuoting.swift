/// POSIX shell quoting: a value becomes one word that the shell passes on unchanged.
public enum ShellQuoting {
    /// `'...'` with each `'` written as `'\''`; the empty string is `''`.
    public static func quote(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }

    /// A path for the remote shell: a leading `~/` (or `~` alone) becomes `"$HOME"`, the rest is quoted.
    public static func quotePath(_ path: String) -> String {
        if path == "~" { return "\"$HOME\"" }
        if path.hasPrefix("~/") { return "\"$HOME\"/" + quote(String(path.dropFirst(2))) }
        return quote(path)
    }
}
