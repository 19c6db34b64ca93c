import Foundation
import Support

/// Writes one named profile into the AWS CLI's shared files (`~/.aws/config` with
/// `[profile NAME]`, `~/.aws/credentials` with `[NAME]`), honouring `AWS_CONFIG_FILE` and
/// `AWS_SHARED_CREDENTIALS_FILE`. Only that profile's sections are rewritten; every other line
/// stays byte for byte, and each file is replaced atomically.
public struct AWSProfileFiles: Sendable {
    public var configPath: String
    public var credentialsPath: String

    public init(configPath: String, credentialsPath: String) {
        self.configPath = configPath
        self.credentialsPath = credentialsPath
    }

    /// The files the AWS CLI would use in `environment`.
    public static func forEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> AWSProfileFiles {
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        func expand(_ path: String) -> String { path.hasPrefix("~/") ? home + path.dropFirst() : path }
        return AWSProfileFiles(
            configPath: expand(environment["AWS_CONFIG_FILE"].flatMap { $0.isEmpty ? nil : $0 } ?? "~/.aws/config"),
            credentialsPath: expand(environment["AWS_SHARED_CREDENTIALS_FILE"].flatMap { $0.isEmpty ? nil : $0 } ?? "~/.aws/credentials"))
    }

    /// Writes (or rewrites) the profile `name`.
    public func write(profile name: String, settings: [(String, String)], credentials: [(String, String)]) throws {
        try update(configPath, header: "profile \(name)", body: settings.map { "\($0.0) = \($0.1)" }, mode: nil)
        try update(credentialsPath, header: name, body: credentials.map { "\($0.0) = \($0.1)" }, mode: 0o600)
    }

    /// Removes the profile `name` from both files (other profiles untouched).
    public func remove(profile name: String) throws {
        try update(configPath, header: "profile \(name)", body: nil, mode: nil)
        try update(credentialsPath, header: name, body: nil, mode: nil)
    }

    /// The setting `key` of profile `name` in the config file, if present.
    public func setting(_ key: String, profile name: String) -> String? {
        guard let text = try? String(contentsOfFile: configPath, encoding: .utf8) else { return nil }
        var inside = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if let header = Self.sectionName(trimmed) { inside = header == "profile \(name)"; continue }
            guard inside, let equals = trimmed.firstIndex(of: "=") else { continue }
            if trimmed[..<equals].trimmingCharacters(in: .whitespaces) == key {
                return trimmed[trimmed.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }

    func update(_ path: String, header: String, body: [String]?, mode: mode_t?) throws {
        let existing = (try? String(contentsOfFile: path, encoding: .utf8))
        if existing == nil && body == nil { return }
        let updated = Self.replacingSection(in: existing ?? "", named: header, with: body)
        if updated == existing { return }
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        }
        try AtomicFile.write(updated, to: path, mode: existing == nil ? (mode ?? 0o644) : nil)
    }

    /// `text` with every section `[name]` removed and, when `body` is given, one section
    /// `[name]` with those lines put where the first one was (or at the end).
    public static func replacingSection(in text: String, named name: String, with body: [String]?) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        var output: [String] = []
        var insertAt: Int?
        var skipping = false
        for line in lines {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if let section = sectionName(trimmed) {
                skipping = section == name
                if skipping {
                    if insertAt == nil { insertAt = output.count }
                    continue
                }
            }
            if !skipping { output.append(line) }
        }
        if let body {
            var section = ["[\(name)]"] + body
            let position = insertAt ?? output.count
            if position > 0, !(output[position - 1].trimmingCharacters(in: .whitespaces).isEmpty) { section.insert("", at: 0) }
            if position < output.count { section.append("") }
            output.insert(contentsOf: section, at: position)
        } else {
            // Drop blank lines left doubled where the section was.
            if let position = insertAt, position < output.count, position > 0,
               output[position].trimmingCharacters(in: .whitespaces).isEmpty,
               output[position - 1].trimmingCharacters(in: .whitespaces).isEmpty {
                output.remove(at: position)
            }
        }
        while output.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { output.removeLast() }
        return output.isEmpty ? "" : output.joined(separator: "\n") + "\n"
    }

    /// The name inside `[ ... ]` with inner white space normalised, nil for other lines.
    static func sectionName(_ trimmedLine: String) -> String? {
        guard trimmedLine.hasPrefix("["), let close = trimmedLine.firstIndex(of: "]") else { return nil }
        let inner = trimmedLine[trimmedLine.index(after: trimmedLine.startIndex)..<close]
        return inner.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }
}
