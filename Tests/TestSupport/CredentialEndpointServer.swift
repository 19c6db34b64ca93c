import Foundation

/// `Tests/Fixtures/credentials_server.py` on a free loopback port: the container credentials
/// endpoint, the IAM Identity Center portal and its token service, handing out configured
/// keys in turn (so a test sees which fetch signed a request).
public final class CredentialEndpointServer: @unchecked Sendable {
    /// `http://127.0.0.1:<port>`.
    public let endpoint: String
    private let child: LineChannelProcess

    /// What the server hands out and accepts. Nil fields are left as they were.
    public struct Settings: Encodable {
        let op = "configure"
        public var keys: [Key]?
        /// Seconds each handed-out key is said to be valid.
        public var lifetime: Int?
        public var containerToken: String?
        public var ssoAccessToken: String?
        public var ssoAccount: String?
        public var ssoRole: String?
        public var refreshToken: String?
        public var refreshedAccessToken: String?
        public var refreshedExpiresIn: Int?

        public init(keys: [Key]? = nil, lifetime: Int? = nil, containerToken: String? = nil, ssoAccessToken: String? = nil,
                    ssoAccount: String? = nil, ssoRole: String? = nil, refreshToken: String? = nil,
                    refreshedAccessToken: String? = nil, refreshedExpiresIn: Int? = nil) {
            self.keys = keys
            self.lifetime = lifetime
            self.containerToken = containerToken
            self.ssoAccessToken = ssoAccessToken
            self.ssoAccount = ssoAccount
            self.ssoRole = ssoRole
            self.refreshToken = refreshToken
            self.refreshedAccessToken = refreshedAccessToken
            self.refreshedExpiresIn = refreshedExpiresIn
        }
    }

    public struct Key: Codable, Sendable {
        public var accessKeyId: String
        public var secretAccessKey: String
        public var sessionToken: String?

        public init(accessKeyId: String, secretAccessKey: String, sessionToken: String? = nil) {
            self.accessKeyId = accessKeyId
            self.secretAccessKey = secretAccessKey
            self.sessionToken = sessionToken
        }

        public init(_ credentials: MotoCredentials) {
            self.init(accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey)
        }
    }

    /// One request the server received.
    public struct Request: Decodable, Sendable {
        public let method: String
        public let path: String
        public let authorization: String?
        public let ssoToken: String?
    }

    private struct Ready: Decodable { let port: Int }
    private struct Reply: Decodable {
        let ok: Bool
        let error: String?
        let requests: [Request]?
    }
    private struct RequestsCommand: Encodable { let op = "requests" }

    public init() throws {
        child = try LineChannelProcess(name: "credentials-server", command: "python3",
                                       arguments: ["-u", Fixtures.path("credentials_server.py")])
        let line = try child.readLine(timeout: 30)
        guard let ready = try? JSONDecoder().decode(Ready.self, from: Data(line.utf8)) else {
            child.stop()
            throw TestSupportError("credentials_server.py did not start, it said: \(line)", log: child.logTail())
        }
        endpoint = "http://127.0.0.1:\(ready.port)"
    }

    deinit { stop() }

    /// Changes what the server hands out and accepts.
    public func configure(_ settings: Settings) throws {
        let reply = try child.request(settings, as: Reply.self)
        guard reply.ok else { throw TestSupportError("credentials_server.py refused: \(reply.error ?? "")", log: child.logTail()) }
    }

    /// Every request so far, oldest first.
    public func requests() throws -> [Request] {
        let reply = try child.request(RequestsCommand(), as: Reply.self)
        guard reply.ok, let requests = reply.requests else { throw TestSupportError("credentials_server.py: \(reply.error ?? "")") }
        return requests
    }

    public func stop() { child.stop() }
}
