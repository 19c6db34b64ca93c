/// The shared credentials file and the shared config file, read once.
///
/// Paths: `AWS_SHARED_CREDENTIALS_FILE` (default `~/.aws/credentials`) and `AWS_CONFIG_FILE`
/// (default `~/.aws/config`). A missing file is the same as an empty one.
struct SharedConfigFiles {
    struct File {
        var path: String
        /// Nil when the file does not exist.
        var contents: SharedConfigINI?
    }

    var credentials: File?
    var config: File?

    init(environment: ConfigurationEnvironment) throws {
        credentials = try Self.load(variable: "AWS_SHARED_CREDENTIALS_FILE", defaultName: "credentials", environment: environment)
        config = try Self.load(variable: "AWS_CONFIG_FILE", defaultName: "config", environment: environment)
    }

    private static func load(variable: String, defaultName: String, environment: ConfigurationEnvironment) throws -> File? {
        let path: String
        if let configured = environment.value(variable) {
            path = environment.expandingTilde(configured)
        } else if let home = environment.homeDirectory {
            path = (home.hasSuffix("/") ? home : home + "/") + ".aws/" + defaultName
        } else {
            return nil
        }
        guard let text = try environment.fileReader.contents(atPath: path) else {
            return File(path: path, contents: nil)
        }
        return File(path: path, contents: try SharedConfigINI(parsing: text, path: path))
    }

    /// The paths looked in, for error messages.
    var searchedPaths: [String] {
        [credentials?.path, config?.path].compactMap { $0 }
    }

    /// The profile's section of the credentials file (`[name]`).
    func credentialsSection(profile: String) -> (section: SharedConfigINI.Section, source: ConfigurationSource)? {
        guard let file = credentials, let section = file.contents?.sections[profile] else { return nil }
        return (section, .credentialsFile(path: file.path, profile: profile))
    }

    /// The profile's section of the config file: `[profile name]`, and for the default
    /// profile also `[default]`.
    func configSection(profile: String) -> (section: SharedConfigINI.Section, source: ConfigurationSource)? {
        guard let file = config, let contents = file.contents else { return nil }
        var names = ["profile \(profile)"]
        if profile == "default" { names.append("default") }
        for name in names {
            if let section = contents.sections[name] {
                return (section, .configFile(path: file.path, section: name))
            }
        }
        return nil
    }

    /// A `[services name]` section of the config file.
    func servicesSection(named name: String) -> (section: SharedConfigINI.Section, source: ConfigurationSource)? {
        guard let file = config, let section = file.contents?.sections["services \(name)"] else { return nil }
        return (section, .configFile(path: file.path, section: "services \(name)"))
    }

    /// An `[sso-session name]` section of the config file.
    func ssoSessionSection(named name: String) -> (section: SharedConfigINI.Section, source: ConfigurationSource)? {
        guard let file = config, let section = file.contents?.sections["sso-session \(name)"] else { return nil }
        return (section, .configFile(path: file.path, section: "sso-session \(name)"))
    }

    func profileExists(_ profile: String) -> Bool {
        credentialsSection(profile: profile) != nil || configSection(profile: profile) != nil
    }

    /// A setting of the profile. As in botocore, the credentials file's value wins over the
    /// config file's when both set it.
    func setting(_ key: String, profile: String) -> Sourced<String>? {
        for found in [credentialsSection(profile: profile), configSection(profile: profile)] {
            if let found, let value = found.section.properties[key], !value.isEmpty {
                return Sourced(value, source: found.source)
            }
        }
        return nil
    }
}
