import Foundation
import XCTest
@testable import AWS
import SigV4
import TestSupport

/// A clock a test moves by hand.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Date
    init(_ date: Date = Date()) { stored = date }
    var now: Date {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
    func advance(minutes: Double) { now = now.addingTimeInterval(minutes * 60) }
    var function: @Sendable () -> Date { { [self] in now } }
}

/// An MFA prompt with a scripted answer that counts how often it was asked.
final class ScriptedMFAPrompt: MFACodePrompt, @unchecked Sendable {
    private let lock = NSLock()
    private let answer: String?
    private var asked: [String] = []
    init(answer: String?) { self.answer = answer }
    var serialsAsked: [String] { lock.withLock { asked } }
    func code(serial: String, profile: String) -> String? {
        lock.withLock { asked.append(serial) }
        return answer
    }
}

/// Passes requests on and remembers each one's URL, headers and body.
final class CapturingTransport: HTTPTransport, @unchecked Sendable {
    struct Sent {
        var url: String
        var headers: [(name: String, value: String)]
        var body: String
        func header(_ name: String) -> String? { headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value }
    }
    private let inner: any HTTPTransport
    private let lock = NSLock()
    private var list: [Sent] = []
    init(_ inner: any HTTPTransport = CurlTransport()) { self.inner = inner }
    var sent: [Sent] { lock.withLock { list } }

    func send(_ request: HTTPRequest, sink: HTTPResponseSink) throws -> HTTPResponse {
        var body = ""
        if case .bytes(let data) = request.body { body = String(decoding: data, as: UTF8.self) }
        lock.withLock { list.append(Sent(url: request.url, headers: request.headers, body: body)) }
        return try inner.send(request, sink: sink)
    }
}

extension MotoFixture {
    /// A user allowed to assume roles and ask who it is, and its key.
    func sourceUser(_ name: String) throws -> SigningCredentials {
        try credentials(forUser: name, policy: MotoServer.allowPolicy(actions: ["sts:AssumeRole", "sts:GetCallerIdentity"]))
    }

    /// A role (allowed everything) and its ARN.
    func role(_ name: String) throws -> String {
        let trust = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":["sts:AssumeRole","sts:AssumeRoleWithWebIdentity"]}]}"#
        var parameters = QueryParameters()
        parameters.set("RoleName", name)
        parameters.set("AssumeRolePolicyDocument", trust)
        let created = try client().queryResult(.iam, "CreateRole", parameters, idempotent: false)
        try IAMClient(client()).putRolePolicy(roleName: name, policyName: "\(name)-all",
                                              document: MotoServer.allowPolicy(actions: ["*"]))
        return try XCTUnwrap(created.child("Role")?.string("Arn"))
    }

    /// Who the configuration's credentials belong to, asked through STS.
    func callerArn(_ configuration: AWSConfiguration) throws -> String {
        try STSClient(AWSClient(configuration: configuration, transport: transport)).getCallerIdentity().arn
    }
}

extension ConfigurationTestHome {
    /// A resolver with every injectable part given.
    func credentialResolver(_ overrides: ConfigurationOverrides = ConfigurationOverrides(), transport: (any HTTPTransport)? = nil,
                  mfa: any MFACodePrompt = ScriptedMFAPrompt(answer: nil), clock: TestClock? = nil) throws -> AWSConfigurationResolver {
        try AWSConfigurationResolver(environment: environment, overrides: overrides, instanceMetadataTransport: nil,
                                     credentialsTransport: transport, mfaPrompt: mfa, clock: clock?.function ?? { @Sendable in Date() })
    }

    /// Points every AWS service at moto, in moto's region, with instance metadata off.
    func useMoto(_ moto: MotoFixture) {
        variables["AWS_ENDPOINT_URL"] = moto.endpoint
        variables["AWS_REGION"] = moto.region
        variables["AWS_EC2_METADATA_DISABLED"] = "true"
    }
}

/// `[profile name]` (or `[default]`) with the settings, for a config file.
func configSection(_ name: String, _ settings: [(String, String)]) -> String {
    let header = name == "default" ? "[default]" : "[profile \(name)]"
    return ([header] + settings.map { "\($0.0) = \($0.1)" }).joined(separator: "\n") + "\n"
}

/// `[name]` with a key pair, for a credentials file.
func credentialsSection(_ name: String, _ key: SigningCredentials) -> String {
    "[\(name)]\naws_access_key_id = \(key.accessKeyId)\naws_secret_access_key = \(key.secretAccessKey)\n"
}
