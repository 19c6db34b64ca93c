/// Where the in-stack job manager's files live in the analysis's bucket, under `ncaas/` (outside
/// every affiliate's folder, so no affiliate can read or replace them): the ncaas build the deploy
/// ships and the blueprint it serves, and what the manager writes back (its heartbeat, its log).
public struct ManagerLayout: Sendable, Equatable {
    public let bucket: String

    public init(bucket: String) { self.bucket = bucket }

    /// The ncaas executable the manager runs.
    public static let binaryKey = "ncaas/ncaas"
    /// The blueprint the manager serves (the one deployed).
    public static let blueprintKey = "ncaas/blueprint.json"
    /// The manager's heartbeat (JSON), rewritten every few seconds.
    public static let heartbeatKey = "ncaas/manager/heartbeat.json"
    /// The tail of the manager's log.
    public static let logKey = "ncaas/manager/log.txt"
    /// Written by `ncaas manager restart`: the manager drains and starts again.
    public static let restartKey = "ncaas/manager/restart"
    /// The object metadata holding the binary's SHA-256 (`x-amz-meta-sha256`).
    public static let shaMetadata = "sha256"
}
