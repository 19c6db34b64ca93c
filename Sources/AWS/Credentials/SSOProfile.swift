/// A profile's IAM Identity Center (SSO) settings: `sso_account_id` and `sso_role_name`, with
/// `sso_start_url` and `sso_region` from its `[sso-session name]` section (`sso_session`) or,
/// in the legacy form, from the profile itself.
struct SSOProfile: Equatable {
    var profile: String
    var startURL: String
    var region: String
    var accountId: String
    var roleName: String
    /// `sso_session`; nil for the legacy form.
    var sessionName: String?

    /// The key of the token `aws sso login` caches: the session's name, else the start URL.
    var tokenCacheKey: String { sessionName ?? startURL }

    /// Nil when the profile has neither `sso_account_id` nor `sso_role_name` (not an SSO
    /// profile, as botocore decides).
    /// - Throws: `AWSConfigurationError.invalidProfile` when a setting is missing, the session
    ///   section does not exist, or the profile and the session disagree.
    init?(profile: String, resolver: AWSConfigurationResolver) throws {
        let files = resolver.files
        func setting(_ key: String) -> String? { AWSConfigurationResolver.nonBlank(files.setting(key, profile: profile)?.value) }
        guard setting("sso_account_id") != nil || setting("sso_role_name") != nil else { return nil }

        var values: [String: String] = [:]
        for key in ["sso_start_url", "sso_region", "sso_account_id", "sso_role_name"] { values[key] = setting(key) }
        let sessionName = setting("sso_session")
        if let sessionName {
            guard let session = files.ssoSessionSection(named: sessionName) else {
                throw AWSConfigurationError.invalidProfile(
                    profile: profile, problem: "names sso_session \"\(sessionName)\", which has no [sso-session \(sessionName)] section",
                    fix: "run `aws configure sso --profile \(profile)`")
            }
            for (key, value) in session.section.properties where !value.isEmpty {
                if let own = values[key], own != value {
                    throw AWSConfigurationError.invalidProfile(
                        profile: profile, problem: "sets \(key) to \(own) but its sso-session \"\(sessionName)\" sets \(value)",
                        fix: "remove \(key) from the profile")
                }
                values[key] = value
            }
        }
        let required = ["sso_start_url", "sso_region", "sso_account_id", "sso_role_name"]
        let missing = required.filter { values[$0] == nil }
        guard missing.isEmpty else {
            throw AWSConfigurationError.invalidProfile(profile: profile, problem: "is set up for SSO but lacks \(missing.joined(separator: ", "))",
                                                       fix: "run `aws configure sso --profile \(profile)`")
        }
        guard AWSConfigurationResolver.isValidRegionName(values["sso_region"] ?? "") else {
            throw AWSConfigurationError.invalidRegion(value: values["sso_region"] ?? "", source: files.setting("sso_region", profile: profile)?.source
                                                      ?? .fallback("sso_region of profile \(profile)"))
        }
        self.profile = profile
        self.startURL = values["sso_start_url"] ?? ""
        self.region = values["sso_region"] ?? ""
        self.accountId = values["sso_account_id"] ?? ""
        self.roleName = values["sso_role_name"] ?? ""
        self.sessionName = sessionName
    }
}
