/// RFC 3986 percent-encoding as AWS expects it: every byte except the unreserved
/// characters `A-Z a-z 0-9 - _ . ~` is encoded, in upper-case hex.
enum PercentEncoding {
    /// Encodes a query parameter name or value (slashes are encoded).
    static func encode(_ text: String) -> String {
        encode(text, keepSlash: false)
    }

    /// Encodes a URL path (slashes kept), e.g. an S3 object key.
    static func encodePath(_ text: String) -> String {
        encode(text, keepSlash: true)
    }

    private static func encode(_ text: String, keepSlash: Bool) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(UnicodeScalar(byte))
            case UInt8(ascii: "/") where keepSlash:
                out.append("/")
            default:
                out += "%" + hex[Int(byte >> 4)] + hex[Int(byte & 0xF)]
            }
        }
        return out
    }

    private static let hex = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "A", "B", "C", "D", "E", "F"]

    /// An `application/x-www-form-urlencoded` body, `name=value&...` in the order given,
    /// encoded as botocore encodes query-protocol bodies (spaces as `+`): services and
    /// local endpoints that re-encode the parsed form to check the signature get the same bytes.
    static func formEncode(_ pairs: [(String, String)]) -> String {
        pairs.map { formComponent($0.0) + "=" + formComponent($0.1) }.joined(separator: "&")
    }

    private static func formComponent(_ text: String) -> String {
        encode(text).replacingOccurrences(of: "%20", with: "+")
    }
}
