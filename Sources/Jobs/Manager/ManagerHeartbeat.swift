import Foundation

/// What the in-stack job manager writes to `ncaas/manager/heartbeat.json` every few seconds, and what
/// `ncaas manager status` and `ncaas deploy` read.
public struct ManagerHeartbeat: Codable, Sendable, Equatable {
    public struct RecentJob: Codable, Sendable, Equatable {
        public var job: String
        public var outcome: String
        public var at: String
    }

    public var instanceId: String
    /// The ETag of the ncaas build it runs (`ncaas/ncaas` as it downloaded it).
    public var build: String
    /// ncaas's own version.
    public var version: String
    public var startedAt: String
    public var at: String
    public var runningJobs: Int
    public var recentJobs: [RecentJob]

    public var json: Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return (try? encoder.encode(self)) ?? Data()
    }

    public static func parse(_ data: Data) -> ManagerHeartbeat? { try? JSONDecoder().decode(ManagerHeartbeat.self, from: data) }
}
