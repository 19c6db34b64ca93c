import Foundation
import SigV4

/// Credentials STS handed out, with when they stop working.
public struct TemporaryCredentials: Sendable, Equatable {
    public var credentials: SigningCredentials
    public var expiration: Date?
    /// `arn:aws:sts::<account>:assumed-role/<role>/<session>`.
    public var assumedRoleArn: String?
}

/// The parameters of an AssumeRole call, as a profile sets them.
public struct AssumeRoleRequest: Sendable, Equatable {
    public var roleArn: String
    /// `role_session_name`; nil for a generated one.
    public var sessionName: String?
    public var externalId: String?
    /// `mfa_serial`: the MFA device whose code the call needs.
    public var mfaSerial: String?
    /// `duration_seconds`; nil for the role's default (an hour).
    public var durationSeconds: Int?

    public init(roleArn: String, sessionName: String? = nil, externalId: String? = nil, mfaSerial: String? = nil,
                durationSeconds: Int? = nil) {
        self.roleArn = roleArn
        self.sessionName = sessionName
        self.externalId = externalId
        self.mfaSerial = mfaSerial
        self.durationSeconds = durationSeconds
    }

    /// The session name sent when none is configured, like botocore's `botocore-session-<time>`.
    public static func generatedSessionName(at date: Date) -> String {
        "ncaas-session-\(Int(date.timeIntervalSince1970))"
    }
}

extension STSClient {
    /// AssumeRole, signed with the client's credentials.
    /// - Parameter tokenCode: the MFA code, when the request names an MFA device.
    public func assumeRole(_ request: AssumeRoleRequest, sessionName: String, tokenCode: String? = nil) throws -> TemporaryCredentials {
        var parameters = QueryParameters()
        parameters.set("RoleArn", request.roleArn)
        parameters.set("RoleSessionName", sessionName)
        if let externalId = request.externalId { parameters.set("ExternalId", externalId) }
        if let serial = request.mfaSerial { parameters.set("SerialNumber", serial) }
        if let tokenCode { parameters.set("TokenCode", tokenCode) }
        if let seconds = request.durationSeconds { parameters.set("DurationSeconds", String(seconds)) }
        return try Self.temporaryCredentials(client.queryResult(.sts, "AssumeRole", parameters, idempotent: true), action: "AssumeRole")
    }

    /// AssumeRoleWithWebIdentity: unsigned (the token is the proof), as AWS requires.
    public func assumeRoleWithWebIdentity(roleArn: String, sessionName: String, token: String,
                                          durationSeconds: Int? = nil) throws -> TemporaryCredentials {
        var pairs: [(String, String)] = [("Action", "AssumeRoleWithWebIdentity"), ("Version", AWSService.sts.apiVersion ?? ""),
                                         ("RoleArn", roleArn), ("RoleSessionName", sessionName), ("WebIdentityToken", token)]
        if let durationSeconds { pairs.append(("DurationSeconds", String(durationSeconds))) }
        let request = HTTPRequest(method: "POST", url: try client.endpointURL(for: .sts).url(path: "/"),
                                  headers: [(name: "Content-Type", value: "application/x-www-form-urlencoded; charset=utf-8")],
                                  body: .bytes(Data(PercentEncoding.formEncode(pairs).utf8)))
        let response: HTTPResponse
        do {
            response = try UnsignedRequest.send(request, transport: client.transport, attempts: client.retryPolicy.maxAttempts)
        } catch let failure as TransportError {
            throw AWSConnectionError(service: .sts, operation: "AssumeRoleWithWebIdentity", underlying: failure, attempts: client.retryPolicy.maxAttempts)
        }
        guard response.status < 300 else {
            throw AWSErrorReply.parse(response: response, service: .sts, operation: "AssumeRoleWithWebIdentity", attempts: 1)
        }
        let root: XMLTreeElement
        do {
            root = try XMLTreeElement.parse(response.body)
        } catch {
            throw AWSClientError(.invalidResponse, "STS answered AssumeRoleWithWebIdentity with a reply that is not XML.")
        }
        return try Self.temporaryCredentials(root.child("AssumeRoleWithWebIdentityResult") ?? root, action: "AssumeRoleWithWebIdentity")
    }

    private static func temporaryCredentials(_ result: XMLTreeElement, action: String) throws -> TemporaryCredentials {
        guard let element = result.child("Credentials"), let keyId = element.string("AccessKeyId"),
              let secret = element.string("SecretAccessKey"), !keyId.isEmpty, !secret.isEmpty else {
            throw AWSClientError(.invalidResponse, "STS answered \(action) without credentials.")
        }
        return TemporaryCredentials(
            credentials: SigningCredentials(accessKeyId: keyId, secretAccessKey: secret, sessionToken: element.string("SessionToken")),
            expiration: element.string("Expiration").flatMap(CredentialDates.parse),
            assumedRoleArn: result.child("AssumedRoleUser")?.string("Arn"))
    }
}
