/// The parts of an absolute URL that SigV4 needs, split by hand rather than with
/// Foundation's `URL`, which rejects what the test suite sends on purpose (raw spaces,
/// raw UTF-8). Nothing is decoded here.
struct RequestTarget: Equatable {
    /// `https`, `http`, or empty when the URL had no scheme.
    var scheme: String
    /// Host as written (IPv6 literals keep their brackets), empty when there is none.
    var host: String
    var port: Int?
    /// The path as written, `/` when empty.
    var path: String
    /// The query as written, without `?` (empty when absent).
    var query: String

    init(url: String) {
        var rest = Substring(url)
        if let fragmentStart = rest.firstIndex(of: "#") {
            rest = rest[..<fragmentStart]
        }
        if let schemeEnd = rest.range(of: "://") {
            scheme = rest[..<schemeEnd.lowerBound].lowercased()
            rest = rest[schemeEnd.upperBound...]
            let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
            var authority = rest[..<authorityEnd]
            rest = rest[authorityEnd...]
            if let at = authority.lastIndex(of: "@") {
                authority = authority[authority.index(after: at)...]
            }
            (host, port) = RequestTarget.splitHostPort(authority)
        } else {
            scheme = ""
            host = ""
            port = nil
        }
        if let queryStart = rest.firstIndex(of: "?") {
            path = String(rest[..<queryStart])
            query = String(rest[rest.index(after: queryStart)...])
        } else {
            path = String(rest)
            query = ""
        }
        if path.isEmpty { path = "/" }
    }

    private static func splitHostPort(_ authority: Substring) -> (String, Int?) {
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            let host = String(authority[...close])
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":"), let port = Int(after.dropFirst()) { return (host, port) }
            return (host, nil)
        }
        if let colon = authority.lastIndex(of: ":") {
            return (String(authority[..<colon]), Int(authority[authority.index(after: colon)...]))
        }
        return (String(authority), nil)
    }

    /// The `Host` header value an HTTP client sends for this URL: the host, plus `:port`
    /// when the port is not the scheme's default.
    var hostHeader: String {
        guard let port else { return host }
        let defaultPort = scheme == "http" ? 80 : (scheme == "https" ? 443 : nil)
        return port == defaultPort ? host : "\(host):\(port)"
    }
}
