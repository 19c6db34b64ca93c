import Foundation

/// Container credentials (ECS task roles, EKS pod identity): `GET` the endpoint
/// `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` names on 169.254.170.2, or the URL in
/// `AWS_CONTAINER_CREDENTIALS_FULL_URI`, with the `Authorization` header from
/// `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (read on every fetch: it rotates) or
/// `AWS_CONTAINER_AUTHORIZATION_TOKEN`.
///
/// As in the AWS SDKs, a full URI over plain http must point at a loopback address or one of
/// the container hosts (169.254.170.2, 169.254.170.23, fd00:ec2::23): credentials are never
/// fetched from (or a token sent to) anywhere else without TLS.
struct ContainerCredentialProvider: CredentialProvider {
    /// The ECS agent's address.
    static let ecsHost = "169.254.170.2"
    static let allowedHTTPHosts: Set<String> = ["169.254.170.2", "169.254.170.23", "fd00:ec2::23", "[fd00:ec2::23]", "localhost"]

    let url: String
    /// Where the URL came from (for messages).
    let variable: String
    let resolver: AWSConfigurationResolver

    /// The endpoint's scheme and host, without the path (which may identify the task).
    var source: ConfigurationSource { .container(url: EndpointURL(url).map { "\($0.scheme)://\($0.hostHeader)" } ?? url) }

    func fetch() throws -> ResolvedCredentials {
        var headers: [(name: String, value: String)] = [(name: "Accept", value: "application/json")]
        if let token = try authorizationToken() { headers.append((name: "Authorization", value: token)) }
        let response: HTTPResponse
        do {
            response = try UnsignedRequest.send(HTTPRequest(method: "GET", url: url, headers: headers), transport: resolver.credentialsTransport)
        } catch let failure as TransportError {
            throw failed("nothing answered at \(failure.url)")
        }
        guard response.status == 200 else { throw failed("it answered HTTP \(response.status)") }
        return try CredentialDocument.parse(response.body, source: source) { failed($0) }
    }

    private func authorizationToken() throws -> String? {
        let environment = resolver.environment
        var token: String?
        if let file = environment.value("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
            guard let text = try environment.fileReader.contents(atPath: file) else {
                throw failed("the token file \(file) (AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE) does not exist")
            }
            token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        } else {
            token = environment.value("AWS_CONTAINER_AUTHORIZATION_TOKEN")
        }
        if let token, token.contains(where: { $0 == "\r" || $0 == "\n" }) {
            throw failed("its authorization token spans several lines")
        }
        return token
    }

    private func failed(_ reason: String) -> AWSConfigurationError {
        .credentialSourceFailed(source: source.description, reason: reason,
                                fix: "check \(variable) and the task's or pod's role")
    }

    /// Whether a full URI may be used: https anywhere; http only to a loopback address or a
    /// container host.
    static func isAllowed(_ url: EndpointURL) -> Bool {
        if url.scheme == "https" { return true }
        var host = url.hostHeader
        if host.hasPrefix("[") {
            host = String(host.dropFirst().prefix { $0 != "]" })
        } else if let colon = host.lastIndex(of: ":") {
            host = String(host[..<colon])
        }
        host = host.lowercased()
        if allowedHTTPHosts.contains(host) || host == "::1" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }
}

extension AWSConfigurationResolver {
    /// The container provider when `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (first) or
    /// `AWS_CONTAINER_CREDENTIALS_FULL_URI` is set; nil otherwise.
    /// - Throws: `.credentialSourceFailed` for a full URI that is not allowed.
    func containerProvider() throws -> (any CredentialProvider)? {
        if let relative = environment.value("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
            let path = relative.hasPrefix("/") ? relative : "/" + relative
            return ContainerCredentialProvider(url: "http://\(ContainerCredentialProvider.ecsHost)\(path)",
                                               variable: "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", resolver: self)
        }
        guard let full = environment.value("AWS_CONTAINER_CREDENTIALS_FULL_URI") else { return nil }
        guard let parsed = EndpointURL(full), !parsed.hostHeader.isEmpty else {
            throw AWSConfigurationError.invalidEndpointURL(value: full, source: .environment("AWS_CONTAINER_CREDENTIALS_FULL_URI"))
        }
        guard ContainerCredentialProvider.isAllowed(parsed) else {
            throw AWSConfigurationError.credentialSourceFailed(
                source: "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                reason: "http://\(parsed.hostHeader) is neither https nor a loopback or container address",
                fix: "use an https:// URL, a loopback address or 169.254.170.2/169.254.170.23")
        }
        return ContainerCredentialProvider(url: full, variable: "AWS_CONTAINER_CREDENTIALS_FULL_URI", resolver: self)
    }
}
