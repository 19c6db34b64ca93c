import Foundation
import Support

/// What one analysis's dev instance is, cached in `~/.ncaas/dev/<analysis>.json`. Losing the file
/// loses nothing: `DevInstances` rebuilds it from the instance's and images' tags.
public struct DevRecord: Codable, Equatable, Sendable {
    public var analysis: String
    public var instanceId: String
    /// The EC2 endpoint the instance lives on (a record for another endpoint is ignored).
    public var endpoint: String
    public var region: String
    public var keyName: String
    public var launchedAt: Date
    public var expiresAt: Date
    /// Images created from this instance since it was launched, oldest first.
    public var imageIds: [String]

    public init(analysis: String, instanceId: String, endpoint: String, region: String, keyName: String,
                launchedAt: Date, expiresAt: Date, imageIds: [String] = []) {
        self.analysis = analysis
        self.instanceId = instanceId
        self.endpoint = endpoint
        self.region = region
        self.keyName = keyName
        self.launchedAt = launchedAt
        self.expiresAt = expiresAt
        self.imageIds = imageIds
    }
}

/// Reads and writes dev records, atomically, one small file per analysis.
public struct DevRecordStore: Sendable {
    public var home: NCAASHome

    public init(home: NCAASHome) { self.home = home }

    /// The record, or nil when there is none or it cannot be read (a damaged cache is not an error:
    /// the tags say it all).
    public func load(_ analysis: String) -> DevRecord? {
        guard let data = FileManager.default.contents(atPath: home.devState(analysis)) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(DevRecord.self, from: data)
    }

    public func save(_ record: DevRecord) throws {
        try FileManager.default.createDirectory(atPath: home.devFolder, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(record) + Data("\n".utf8), to: home.devState(record.analysis), mode: 0o600)
    }

    public func remove(_ analysis: String) {
        try? FileManager.default.removeItem(atPath: home.devState(analysis))
    }
}
