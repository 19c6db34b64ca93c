import Crypto
import Foundation

/// Signs HTTP requests with AWS Signature Version 4 (header form, `AWS4-HMAC-SHA256`).
///
/// Pure: the same inputs and `date` always give the same output, and nothing is read from
/// the clock or the environment. The request is described by its method, its absolute URL
/// exactly as it goes on the wire, its headers and the hex SHA-256 of its payload.
///
/// The `Host` header is signed. When `headers` has none it is derived from the URL (host,
/// plus `:port` when the port is not the scheme's default) — which is what an HTTP client
/// such as curl sends — but it is not added to the returned headers.
public struct SigV4Signer: Sendable {
    public var credentials: SigningCredentials
    public var region: String
    public var service: String
    public var flavor: SigningFlavor

    public init(credentials: SigningCredentials, region: String, service: String, flavor: SigningFlavor = .standard) {
        self.credentials = credentials
        self.region = region
        self.service = service
        self.flavor = flavor
    }

    /// Returns `headers` with `X-Amz-Date`, `X-Amz-Security-Token` (when the credentials carry
    /// a session token), `X-Amz-Content-SHA256` (S3 flavor) and `Authorization` set. Headers
    /// already present under those names (any case) are updated in place; a stale
    /// `Authorization` header is replaced.
    public func sign(method: String, url: String, headers: [(name: String, value: String)],
                     payloadSHA256Hex: String, date: Date) -> [(name: String, value: String)] {
        signature(method: method, url: url, headers: headers, payloadSHA256Hex: payloadSHA256Hex, date: date).headers
    }

    /// Every intermediate step of signing one request, for tests and debugging.
    public func signature(method: String, url: String, headers: [(name: String, value: String)],
                          payloadSHA256Hex: String, date: Date) -> SigningResult {
        let amzDate = AMZDate(date)
        let target = RequestTarget(url: url)

        var outgoing = headers.filter { $0.name.lowercased() != "authorization" }
        Self.set("X-Amz-Date", to: amzDate.timestamp, in: &outgoing)
        if let token = credentials.sessionToken {
            Self.set("X-Amz-Security-Token", to: token, in: &outgoing)
        }
        if flavor == .s3 {
            Self.set("X-Amz-Content-SHA256", to: payloadSHA256Hex, in: &outgoing)
        }

        var toSign = outgoing
        if !toSign.contains(where: { $0.name.lowercased() == "host" }) {
            toSign.append((name: "Host", value: target.hostHeader))
        }
        let canonicalHeaders = CanonicalRequest.headers(toSign)
        let canonicalRequest = [
            method.uppercased(),
            CanonicalRequest.uri(path: target.path, flavor: flavor),
            CanonicalRequest.query(target.query),
            canonicalHeaders.lines,
            canonicalHeaders.signedHeaders,
            payloadSHA256Hex,
        ].joined(separator: "\n")

        let scope = credentialScope(day: amzDate.day)
        let stringToSign = Self.stringToSign(canonicalRequest: canonicalRequest, timestamp: amzDate.timestamp, scope: scope)
        let signature = SHA256Hex.hex(HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8),
                                                                       using: signingKey(day: amzDate.day)))
        let authorization = "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyId)/\(scope), "
            + "SignedHeaders=\(canonicalHeaders.signedHeaders), Signature=\(signature)"
        outgoing.append((name: "Authorization", value: authorization))

        return SigningResult(canonicalRequest: canonicalRequest, stringToSign: stringToSign,
                             signedHeaders: canonicalHeaders.signedHeaders, signature: signature,
                             authorization: authorization, headers: outgoing)
    }

    /// The canonical request (task 1 of SigV4).
    public func canonicalRequest(method: String, url: String, headers: [(name: String, value: String)],
                                 payloadSHA256Hex: String, date: Date) -> String {
        signature(method: method, url: url, headers: headers, payloadSHA256Hex: payloadSHA256Hex, date: date).canonicalRequest
    }

    /// The string to sign (task 2 of SigV4).
    public func stringToSign(method: String, url: String, headers: [(name: String, value: String)],
                             payloadSHA256Hex: String, date: Date) -> String {
        signature(method: method, url: url, headers: headers, payloadSHA256Hex: payloadSHA256Hex, date: date).stringToSign
    }

    /// The `Authorization` header value (tasks 3 and 4 of SigV4).
    public func authorization(method: String, url: String, headers: [(name: String, value: String)],
                              payloadSHA256Hex: String, date: Date) -> String {
        signature(method: method, url: url, headers: headers, payloadSHA256Hex: payloadSHA256Hex, date: date).authorization
    }

    /// `20150830/us-east-1/service/aws4_request`.
    func credentialScope(day: String) -> String {
        "\(day)/\(region)/\(service)/aws4_request"
    }

    static func stringToSign(canonicalRequest: String, timestamp: String, scope: String) -> String {
        "AWS4-HMAC-SHA256\n\(timestamp)\n\(scope)\n\(SHA256Hex.hash(canonicalRequest))"
    }

    func signingKey(day: String) -> SymmetricKey {
        func hmac(_ key: SymmetricKey, _ text: String) -> SymmetricKey {
            SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: key)))
        }
        let secret = SymmetricKey(data: Data(("AWS4" + credentials.secretAccessKey).utf8))
        return hmac(hmac(hmac(hmac(secret, day), region), service), "aws4_request")
    }

    /// Sets the first header called `name` (any case) to `value`, or appends it.
    private static func set(_ name: String, to value: String, in headers: inout [(name: String, value: String)]) {
        if let index = headers.firstIndex(where: { $0.name.caseInsensitiveCompare(name) == .orderedSame }) {
            headers[index].value = value
        } else {
            headers.append((name: name, value: value))
        }
    }
}

/// Everything signing one request produced.
public struct SigningResult: Sendable {
    /// Task 1: the canonical request.
    public var canonicalRequest: String
    /// Task 2: the string to sign.
    public var stringToSign: String
    /// `host;x-amz-date;…`: the names of the signed headers.
    public var signedHeaders: String
    /// Task 3: the hex signature.
    public var signature: String
    /// Task 4: the `Authorization` header value.
    public var authorization: String
    /// The request's headers with the signing headers and `Authorization` added.
    public var headers: [(name: String, value: String)]
}
