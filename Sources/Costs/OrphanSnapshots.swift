import AWS
import Foundation
import Prices

/// The snapshots ncaas made (tagged `ncaas:analysis`) whose image is gone: nothing can be launched
/// from them and they bill per GB-month until deleted (`ncaas gc` deletes them).
public struct OrphanSnapshots: Sendable {
    public var ec2: EC2Client

    public init(ec2: EC2Client) { self.ec2 = ec2 }

    /// Finds (and unless `dryRun`, deletes) the orphans of `analysis`, or of every analysis.
    public func collect(analysis: String?, dryRun: Bool) throws -> [StoredData.SnapshotEntry] {
        let orphans = try StoredData.images(ec2: ec2, analysis: analysis).orphans
        if !dryRun {
            for snapshot in orphans { try ec2.deleteSnapshot(snapshot.snapshotId) }
        }
        return orphans
    }

    /// Dollars a month `snapshot` bills at `table`'s price (nil when it has none).
    public static func monthly(_ snapshot: StoredData.SnapshotEntry, table: PriceTable = .shipped) -> Double? {
        table.snapshotGBMonth.map { $0 * Double(snapshot.gigabytes) }
    }
}
