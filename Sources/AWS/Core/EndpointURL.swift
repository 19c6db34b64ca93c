/// An endpoint URL split into the parts requests are built from.
///
/// `http://127.0.0.1:5000` gives scheme `http`, host header `127.0.0.1:5000` and an empty
/// base path; a trailing slash is dropped.
public struct EndpointURL: Sendable, Equatable {
    public var scheme: String
    /// Host as it goes in the `Host` header: with the port unless it is the scheme's default.
    public var hostHeader: String
    /// A path prefix every request goes under ("" for most endpoints).
    public var basePath: String

    /// Parses `scheme://host[:port][/path]`; nil when it is not such a URL.
    public init?(_ text: String) {
        guard let schemeEnd = text.range(of: "://") else { return nil }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { return nil }
        let rest = text[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        var authority = String(rest[..<authorityEnd])
        guard !authority.isEmpty, !authority.contains("@") else { return nil }
        if scheme == "http", authority.hasSuffix(":80") { authority.removeLast(3) }
        if scheme == "https", authority.hasSuffix(":443") { authority.removeLast(4) }
        var path = String(rest[authorityEnd...])
        if let cut = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = String(path[..<cut]) }
        while path.hasSuffix("/") { path.removeLast() }
        self.scheme = scheme
        self.hostHeader = authority
        self.basePath = path
    }

    /// `scheme://host[:port]` followed by the base path.
    public var base: String { "\(scheme)://\(hostHeader)\(basePath)" }

    /// The URL of a path under this endpoint (`path` already encoded, starting with "/").
    public func url(path: String, query: String = "") -> String {
        base + path + (query.isEmpty ? "" : "?" + query)
    }

    /// Re-addresses a URL that a service handed out (an SQS queue URL carrying AWS's host
    /// name) through this endpoint: the path and query are kept, scheme and host replaced.
    public func readdress(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return base + (url.hasPrefix("/") ? url : "/" + url) }
        let rest = url[schemeEnd.upperBound...]
        let pathStart = rest.firstIndex(of: "/") ?? rest.endIndex
        return base + rest[pathStart...]
    }
}
