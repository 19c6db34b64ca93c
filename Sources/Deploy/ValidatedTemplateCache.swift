import Foundation
import SigV4
import Support

/// Remembers which templates an endpoint's ValidateTemplate has accepted: the SHA-256 of the
/// exact template bytes and the CloudFormation endpoint URL, most recent last, in a small JSON
/// file. A deploy of a template already accepted by the same endpoint skips the call (moto's
/// runs cfn-lint and takes about a second; `aws cloudformation deploy` never validates).
///
/// The cache is an optimisation only: a file that is missing, unreadable or corrupt reads as
/// empty, and a failed write is ignored.
public struct ValidatedTemplateCache: Sendable {
    /// The cache file.
    public let path: String
    /// How many validations are remembered; the oldest are forgotten first.
    public let limit: Int

    public init(path: String, limit: Int = 200) {
        self.path = path
        self.limit = limit
    }

    /// `$NCAAS_HOME/cache/validated-templates.json`; `NCAAS_HOME` defaults to `~/.ncaas`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let home = environment["NCAAS_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()) as NSString).appendingPathComponent(".ncaas")
        return ((home as NSString).appendingPathComponent("cache") as NSString).appendingPathComponent("validated-templates.json")
    }

    /// One remembered validation.
    struct Entry: Codable, Equatable {
        var endpoint: String
        var sha256: String
    }

    private struct File: Codable {
        var validated: [Entry]
    }

    /// Whether exactly these template bytes were validated by the endpoint at `endpoint`.
    public func contains(templateBody: String, endpoint: String) -> Bool {
        entries().contains(Entry(endpoint: endpoint, sha256: SHA256Hex.hash(templateBody)))
    }

    /// Remembers that the endpoint at `endpoint` accepted these template bytes. Never throws:
    /// a cache that cannot be written only costs the next deploy a ValidateTemplate call.
    public func record(templateBody: String, endpoint: String) {
        let entry = Entry(endpoint: endpoint, sha256: SHA256Hex.hash(templateBody))
        var list = entries().filter { $0 != entry }
        list.append(entry)
        if list.count > limit { list.removeFirst(list.count - limit) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard let data = try? encoder.encode(File(validated: list)) else { return }
        let folder = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try? AtomicFile.write(data, to: path)
    }

    /// The remembered validations, oldest first; empty when the file is missing or unreadable.
    func entries() -> [Entry] {
        guard let data = FileManager.default.contents(atPath: path),
              let file = try? JSONDecoder().decode(File.self, from: data) else { return [] }
        return file.validated
    }
}
