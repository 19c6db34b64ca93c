import Foundation
import SigV4

/// Credentials of the instance's IAM role, from the EC2 instance metadata service.
public struct InstanceMetadataCredentials: Sendable, Equatable {
    public var credentials: SigningCredentials
    public var role: String
    public var expiration: Date?
}

/// Fetches role credentials from the EC2 instance metadata service with IMDSv2: PUT a session
/// token, GET the role name, GET the role's credentials.
///
/// Meant to be cheap to skip off EC2: give it a transport with a short connect timeout (about
/// a second); an endpoint that does not answer means "no instance metadata" (nil), not an error.
public struct InstanceMetadataClient: Sendable {
    /// The link-local address every EC2 instance reaches its metadata service on.
    public static let defaultEndpoint = "http://169.254.169.254"

    public var transport: any HTTPTransport
    /// Base URL without a trailing slash (`AWS_EC2_METADATA_SERVICE_ENDPOINT` sets it).
    public var endpoint: String
    /// Lifetime asked for the IMDSv2 session token.
    public var tokenTTLSeconds: Int

    public init(transport: any HTTPTransport, endpoint: String = InstanceMetadataClient.defaultEndpoint, tokenTTLSeconds: Int = 21_600) {
        self.transport = transport
        var base = endpoint
        while base.hasSuffix("/") { base.removeLast() }
        self.endpoint = base
        self.tokenTTLSeconds = tokenTTLSeconds
    }

    /// The role credentials; nil when no metadata service answers, it refuses IMDSv2, or the
    /// instance has no role. Throws `AWSConfigurationError.instanceMetadata` when a role is
    /// listed but its credentials cannot be fetched or read.
    public func fetchCredentials() throws -> InstanceMetadataCredentials? {
        guard let token = fetchToken() else { return nil }
        let listURL = endpoint + "/latest/meta-data/iam/security-credentials/"
        guard let list = try? get(listURL, token: token), list.status == 200 else { return nil }
        let roles = String(decoding: list.body, as: UTF8.self)
            .split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        guard let role = roles.first else { return nil }

        let roleURL = listURL + (role.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? role)
        let reply: HTTPResponse
        do {
            reply = try get(roleURL, token: token)
        } catch let error as TransportError {
            throw AWSConfigurationError.instanceMetadata(reason: "the request for role \(role) failed (\(error.kind))")
        }
        guard reply.status == 200 else {
            throw AWSConfigurationError.instanceMetadata(reason: "HTTP \(reply.status) for role \(role)")
        }
        return try Self.parseCredentials(reply.body, role: role)
    }

    private func fetchToken() -> String? {
        let request = HTTPRequest(method: "PUT", url: endpoint + "/latest/api/token",
                                  headers: [(name: "X-aws-ec2-metadata-token-ttl-seconds", value: String(tokenTTLSeconds))])
        guard let reply = try? transport.send(request), reply.status == 200 else { return nil }
        let token = String(decoding: reply.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return token.isEmpty ? nil : token
    }

    private func get(_ url: String, token: String) throws -> HTTPResponse {
        try transport.send(HTTPRequest(method: "GET", url: url, headers: [(name: "X-aws-ec2-metadata-token", value: token)]))
    }

    /// Reads the credentials document (`Code`, `AccessKeyId`, `SecretAccessKey`, `Token`, `Expiration`).
    static func parseCredentials(_ body: Data, role: String) throws -> InstanceMetadataCredentials {
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else {
            throw AWSConfigurationError.instanceMetadata(reason: "the reply for role \(role) is not a JSON object")
        }
        if let code = object["Code"] as? String, code != "Success" {
            throw AWSConfigurationError.instanceMetadata(reason: "role \(role) reports \(code)")
        }
        func field(_ name: String) throws -> String {
            guard let value = object[name] as? String, !value.isEmpty else {
                throw AWSConfigurationError.instanceMetadata(reason: "the reply for role \(role) has no \(name)")
            }
            return value
        }
        let credentials = SigningCredentials(accessKeyId: try field("AccessKeyId"),
                                             secretAccessKey: try field("SecretAccessKey"),
                                             sessionToken: object["Token"] as? String)
        let expiration = (object["Expiration"] as? String).flatMap { ISO8601DateFormatter().date(from: $0) }
        return InstanceMetadataCredentials(credentials: credentials, role: role, expiration: expiration)
    }
}

/// The last link of the chain: the instance role's credentials from the metadata service.
/// When no metadata service answers, fetching says that no credentials were found anywhere.
struct InstanceMetadataProvider: CredentialProvider {
    let client: InstanceMetadataClient
    let profile: String
    /// What the chain looked at before (for the "no credentials" sentence).
    let checked: [String]

    var source: ConfigurationSource { .instanceMetadata(role: "of this instance") }

    func fetch() throws -> ResolvedCredentials {
        guard let fetched = try client.fetchCredentials() else {
            throw AWSConfigurationError.noCredentials(profile: profile, checked: checked)
        }
        return ResolvedCredentials(credentials: fetched.credentials, source: .instanceMetadata(role: fetched.role),
                                   expiration: fetched.expiration)
    }
}
