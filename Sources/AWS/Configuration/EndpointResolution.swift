extension AWSConfigurationResolver {
    /// The endpoint of one service: `--endpoint-url`; then, unless configured endpoints are
    /// ignored (`AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true` or the profile's
    /// `ignore_configured_endpoint_urls = true`), `AWS_ENDPOINT_URL_<SERVICE>`, the profile's
    /// `services` section, `AWS_ENDPOINT_URL`, the profile's `endpoint_url`; else AWS's public
    /// endpoint. Configured endpoints are signed for `region`; public ones for the service's
    /// own signing region (IAM is global: us-east-1).
    public func endpoint(for service: AWSService, region: String) throws -> ServiceEndpoint {
        guard let configured = configuredEndpoint(for: service) else {
            return ServiceEndpoint(service: service, url: service.defaultEndpoint(region: region),
                                   signingRegion: service.defaultSigningRegion(region: region), source: .builtInDefault)
        }
        guard let parsed = EndpointURL(configured.value), !parsed.hostHeader.isEmpty else {
            throw AWSConfigurationError.invalidEndpointURL(value: configured.value, source: configured.source)
        }
        return ServiceEndpoint(service: service, url: parsed.base, signingRegion: region, source: configured.source)
    }

    /// The endpoint of a service outside `AWSService` (the SSO portal, its token service),
    /// configured the same ways, else `defaultURL`.
    /// - Parameters:
    ///   - configKey: its key in a `[services]` section (`sso`, `sso_oidc`).
    ///   - environmentSuffix: its `AWS_ENDPOINT_URL_<suffix>` (`SSO`, `SSO_OIDC`).
    func endpointURL(configKey: String, environmentSuffix: String, defaultURL: String) throws -> String {
        guard let configured = configuredEndpoint(configKey: configKey, environmentSuffix: environmentSuffix) else { return defaultURL }
        guard let parsed = EndpointURL(configured.value), !parsed.hostHeader.isEmpty else {
            throw AWSConfigurationError.invalidEndpointURL(value: configured.value, source: configured.source)
        }
        return parsed.base
    }

    private func configuredEndpoint(for service: AWSService) -> Sourced<String>? {
        configuredEndpoint(configKey: service.rawValue, environmentSuffix: Self.environmentName(of: service))
    }

    private func configuredEndpoint(configKey: String, environmentSuffix: String) -> Sourced<String>? {
        if let flag = Self.nonBlank(overrides.endpointURL) {
            return Sourced(flag, source: .flag(ConfigurationOverrides.FlagName.endpointURL))
        }
        if ignoresConfiguredEndpoints { return nil }
        let serviceVariable = "AWS_ENDPOINT_URL_" + environmentSuffix
        if let value = environment.value(serviceVariable) {
            return Sourced(value, source: .environment(serviceVariable))
        }
        if let servicesName = files.setting("services", profile: profile.value),
           let services = files.servicesSection(named: servicesName.value),
           let value = Self.nonBlank(services.section.subProperties[configKey]?["endpoint_url"]) {
            return Sourced(value, source: services.source)
        }
        if let value = environment.value("AWS_ENDPOINT_URL") {
            return Sourced(value, source: .environment("AWS_ENDPOINT_URL"))
        }
        return files.setting("endpoint_url", profile: profile.value)
    }

    private var ignoresConfiguredEndpoints: Bool {
        if environment.value("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS") != nil {
            return environment.isTrue("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")
        }
        return files.setting("ignore_configured_endpoint_urls", profile: profile.value)?.value.lowercased() == "true"
    }

    /// The service id as environment variables spell it: upper case, spaces and hyphens as `_`.
    static func environmentName(of service: AWSService) -> String {
        String(service.rawValue.uppercased().map { $0 == " " || $0 == "-" ? "_" : $0 })
    }
}
