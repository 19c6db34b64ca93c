import AWS
import DevAMI
import Foundation

/// What an analysis keeps in storage: the images ncaas made of it with their snapshots (tagged
/// `ncaas:analysis`; a snapshot bills per GB-month until it is deleted, with its image or after),
/// and the bytes in its bucket.
public struct StoredData: Sendable {
    /// One snapshot ncaas made, and the image it belongs to (nil when that image is gone).
    public struct SnapshotEntry: Sendable, Equatable {
        public var snapshotId: String
        public var analysis: String
        public var gigabytes: Int
        public var created: Date?
        /// The image it is the disk of, when that image still exists.
        public var imageId: String?
    }

    /// One image ncaas made.
    public struct ImageEntry: Sendable, Equatable {
        public var imageId: String
        public var name: String
        public var analysis: String
        public var snapshots: [String]
        public var gigabytes: Int
    }

    public var images: [ImageEntry]
    public var snapshots: [SnapshotEntry]

    /// The images and snapshots ncaas made, of `analysis` or of every analysis.
    public static func images(ec2: EC2Client, analysis: String?) throws -> StoredData {
        let filter = analysis.map { EC2Filter.tag(InstanceTags.analysis, $0) } ?? .hasTag(InstanceTags.analysis)
        let images = try ec2.describeImages(owners: ["self"], filters: [filter]).filter { $0.state != "deregistered" }
        let live = Set(images.map(\.imageId))
        let snapshots = try ec2.describeSnapshots(filters: [filter]).map { snapshot in
            SnapshotEntry(snapshotId: snapshot.snapshotId, analysis: snapshot.tag(InstanceTags.analysis) ?? "", gigabytes: snapshot.volumeSize,
                          created: snapshot.startTime.flatMap(InstanceTags.parse),
                          imageId: imageId(in: snapshot.description).flatMap { live.contains($0) ? $0 : nil })
        }
        let entries = images.map { image in
            let own = snapshots.filter { $0.imageId == image.imageId }
            return ImageEntry(imageId: image.imageId, name: image.name, analysis: image.tag(InstanceTags.analysis) ?? "",
                              snapshots: own.map(\.snapshotId), gigabytes: own.map(\.gigabytes).reduce(0, +))
        }
        return StoredData(images: entries.sorted { $0.imageId < $1.imageId }, snapshots: snapshots.sorted { $0.snapshotId < $1.snapshotId })
    }

    /// The snapshots whose image is gone: they bill for nothing anyone can launch (`ncaas gc` deletes them).
    public var orphans: [SnapshotEntry] { snapshots.filter { $0.imageId == nil } }

    /// The image a snapshot was made for, from EC2's own description ("Created by CreateImage(i-…) for ami-…").
    static func imageId(in description: String?) -> String? {
        guard let description, let range = description.range(of: "for ami-") else { return nil }
        let id = description[description.index(range.lowerBound, offsetBy: 4)...].prefix { $0.isLetter || $0.isNumber || $0 == "-" }
        return String(id)
    }

    /// The bytes stored in `bucket` (under `prefix` when given), and how many objects.
    public static func bucketBytes(s3: S3Client, bucket: String, prefix: String? = nil) throws -> (bytes: Int64, objects: Int) {
        let objects = try s3.listObjectsV2(bucket: bucket, prefix: prefix).objects
        return (objects.map(\.size).reduce(0, +), objects.count)
    }
}
