import Foundation

/// Reads the AWS shared configuration files.
public protocol ConfigurationFileReader: Sendable {
    /// The text of the file at `path`, or nil when there is no file there. Throws
    /// `AWSConfigurationError.unreadableFile` when it exists but cannot be read.
    func contents(atPath path: String) throws -> String?
}

/// Reads files from the local file system.
public struct LocalFileReader: ConfigurationFileReader {
    public init() {}

    public func contents(atPath path: String) throws -> String? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return nil }
        if isDirectory.boolValue {
            throw AWSConfigurationError.unreadableFile(path: path, reason: "it is a directory")
        }
        // FileHandle rather than FileManager.contents(atPath:), which fails on character devices:
        // `AWS_CONFIG_FILE=/dev/null` is a common way to say "no config file".
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw AWSConfigurationError.unreadableFile(path: path, reason: "permission denied")
        }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.readToEnd() ?? Data()
        } catch {
            throw AWSConfigurationError.unreadableFile(path: path, reason: "I/O error")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw AWSConfigurationError.unreadableFile(path: path, reason: "it is not UTF-8 text")
        }
        return text
    }
}

/// Everything configuration is resolved from, apart from command-line flags: environment
/// variables, the home directory and a way to read files. Built from the real process only
/// by `ConfigurationEnvironment.process()`; tests build their own.
public struct ConfigurationEnvironment: Sendable {
    public var variables: [String: String]
    /// Where `~/.aws/` is; nil when unknown (then only files named by variables are read).
    public var homeDirectory: String?
    public var fileReader: any ConfigurationFileReader

    public init(variables: [String: String], homeDirectory: String?, fileReader: any ConfigurationFileReader = LocalFileReader()) {
        self.variables = variables
        self.homeDirectory = homeDirectory
        self.fileReader = fileReader
    }

    /// The environment of this process: its variables, `$HOME` (else the user's home
    /// directory) and the local file system.
    public static func process() -> ConfigurationEnvironment {
        let variables = ProcessInfo.processInfo.environment
        let home = variables["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return ConfigurationEnvironment(variables: variables, homeDirectory: home.isEmpty ? nil : home)
    }

    /// The variable's value with surrounding whitespace removed; nil when unset or blank
    /// (a blank variable counts as unset, so `AWS_REGION=` does not hide a profile's region).
    public func value(_ name: String) -> String? {
        guard let raw = variables[name] else { return nil }
        let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    /// True when the variable is set to `true` (any case), as the AWS CLI reads boolean switches.
    public func isTrue(_ name: String) -> Bool {
        value(name)?.lowercased() == "true"
    }

    /// `~/x` expanded against the home directory; other paths unchanged.
    func expandingTilde(_ path: String) -> String {
        guard let home = homeDirectory else { return path }
        if path == "~" { return home }
        if path.hasPrefix("~/") { return home + path.dropFirst() }
        return path
    }
}

/// What the user said on the command line. Every field is optional; a set field wins over
/// every other source.
public struct ConfigurationOverrides: Sendable, Equatable {
    /// `--profile`
    public var profile: String?
    /// `--region`
    public var region: String?
    /// `--endpoint-url` (used for every service)
    public var endpointURL: String?
    /// `--access-key-id`, `--secret-access-key`, `--session-token`
    public var accessKeyId: String?
    public var secretAccessKey: String?
    public var sessionToken: String?

    public init(profile: String? = nil, region: String? = nil, endpointURL: String? = nil,
                accessKeyId: String? = nil, secretAccessKey: String? = nil, sessionToken: String? = nil) {
        self.profile = profile
        self.region = region
        self.endpointURL = endpointURL
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }

    /// Flag names, as recorded in `ConfigurationSource.flag`.
    public enum FlagName {
        public static let profile = "--profile"
        public static let region = "--region"
        public static let endpointURL = "--endpoint-url"
        public static let accessKeyId = "--access-key-id"
        public static let secretAccessKey = "--secret-access-key"
    }
}
