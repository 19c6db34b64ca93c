/// Builds the pieces of a SigV4 canonical request. Pure functions over strings.
enum CanonicalRequest {
    /// Headers that are never signed: proxies and HTTP clients add or rewrite them.
    static let unsignedHeaderNames: Set<String> = [
        "authorization", "user-agent", "expect", "x-amzn-trace-id", "connection", "transfer-encoding",
    ]

    /// The canonical URI of `path` (as written on the wire).
    static func uri(path: String, flavor: SigningFlavor) -> String {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        switch flavor {
        case .standard:
            // Normalize, then encode the wire form again (so `%20` becomes `%2520`).
            var kept: [Substring] = []
            for segment in segments {
                switch segment {
                case "", ".": continue
                case "..": _ = kept.popLast()
                default: kept.append(segment)
                }
            }
            var result = "/" + kept.map { URIEncoding.encode($0.utf8) }.joined(separator: "/")
            let last = segments.last ?? ""
            if !kept.isEmpty, last.isEmpty || last == "." || last == ".." {
                result += "/"
            }
            return result
        case .s3:
            // Keep every segment (also empty ones); encode each exactly once.
            let encoded = segments.map { URIEncoding.encode(URIEncoding.decode(String($0))) }.joined(separator: "/")
            return encoded.hasPrefix("/") ? encoded : "/" + encoded
        }
    }

    /// The canonical query string: each name and value decoded, re-encoded, and the pairs
    /// sorted by name, then by value. A parameter without `=` has an empty value.
    static func query(_ query: String) -> String {
        var pairs: [(name: String, value: String)] = []
        for parameter in query.split(separator: "&", omittingEmptySubsequences: true) {
            let name: Substring, value: Substring
            if let equals = parameter.firstIndex(of: "=") {
                name = parameter[..<equals]
                value = parameter[parameter.index(after: equals)...]
            } else {
                name = parameter
                value = ""
            }
            pairs.append((URIEncoding.encode(URIEncoding.decode(String(name))),
                          URIEncoding.encode(URIEncoding.decode(String(value)))))
        }
        pairs.sort { a, b in
            a.name != b.name ? a.name.utf8.lexicographicallyPrecedes(b.name.utf8)
                             : a.value.utf8.lexicographicallyPrecedes(b.value.utf8)
        }
        return pairs.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
    }

    /// Canonical header lines (`name:value`, sorted by name, values of repeated headers
    /// joined with `,` in their order) and the `SignedHeaders` list.
    static func headers(_ headers: [(name: String, value: String)]) -> (lines: String, signedHeaders: String) {
        var valuesByName: [String: [String]] = [:]
        var names: [String] = []
        for header in headers {
            let name = header.name.lowercased()
            if unsignedHeaderNames.contains(name) { continue }
            if valuesByName[name] == nil { names.append(name) }
            valuesByName[name, default: []].append(trimmedValue(header.value))
        }
        names.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        var lines = ""
        for name in names {
            lines += name + ":" + (valuesByName[name] ?? []).joined(separator: ",") + "\n"
        }
        return (lines, names.joined(separator: ";"))
    }

    /// Trims leading and trailing whitespace and collapses inner runs of whitespace to one space.
    static func trimmedValue(_ value: String) -> String {
        var out = ""
        var pendingSpace = false
        for character in value {
            if character.unicodeScalars.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }) {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(" ") }
                pendingSpace = false
                out.append(character)
            }
        }
        return out
    }
}
