import AWS
import Support

/// Checks that every key a submit file names exists in the bucket and belongs to the group,
/// before anything is launched. All the problems are named in one sentence.
public enum SubmissionReferences {
    /// At most this many problems are named one by one; the rest are counted.
    static let namedProblems = 10

    /// - Parameter analysis: the PipelineName, for the `ncaas data put` a hint suggests.
    public static func check(_ submit: SubmitFile, bucket: String, group: String, analysis: String, s3: S3Client) throws {
        var problems: [String] = []
        var inGroup: [(field: String, key: String)] = []
        let references = submit.datanames.map { ("dataname", $0) } + [("configname", submit.configname)]
        for (field, key) in references {
            if key.hasPrefix(bucket + "/"), !key.hasPrefix(group + "/") {
                problems.append("\"\(field)\" \"\(key)\" starts with the bucket name; give the key without the bucket name: \"\(key.dropFirst(bucket.count + 1))\"")
                continue
            }
            guard key.hasPrefix(group + "/") else {
                problems.append("\"\(field)\" \"\(key)\" is not in the group's folder \(group)/; give a key under \(group)/, without the bucket name")
                continue
            }
            inGroup.append((field, key))
        }
        let missing = try missingKeys(inGroup.map(\.key), bucket: bucket, s3: s3)
        for (field, key) in inGroup where missing.contains(key) {
            let folder = field == "dataname" ? "inputs" : "configs"
            problems.append("\"\(field)\" \"\(key)\" does not exist in the bucket \(bucket) (give the key without the bucket name, e.g. \"\(group)/\(folder)/\(JobLayout.basename(key))\", and upload it with `ncaas data put \(AnalysisHint.name(analysis)) \(group) FILE\(field == "configname" ? " --configs" : "")`)")
        }
        guard problems.isEmpty else {
            let named = problems.prefix(namedProblems).joined(separator: "; ")
            let more = problems.count > namedProblems ? "; and \(problems.count - namedProblems) more keys like these" : ""
            throw JobError(.notFound, "INPUT ERROR: nothing was launched: " + named + more + ".")
        }
    }

    /// The keys among `keys` that are not in the bucket. Each folder is listed once, from its first
    /// wanted key to its last (not one HEAD per key: 10,000 keys took 44 s that way); a folder with
    /// one or two wanted keys is asked with HEAD.
    static func missingKeys(_ keys: [String], bucket: String, s3: S3Client) throws -> Set<String> {
        var byFolder: [String: Set<String>] = [:]
        for key in keys {
            let folder = key.lastIndex(of: "/").map { String(key[...$0]) } ?? ""
            byFolder[folder, default: []].insert(key)
        }
        var missing: Set<String> = []
        for (folder, wanted) in byFolder {
            let sorted = wanted.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }  // S3's order: UTF-8 bytes
            if sorted.count <= 2 {
                for key in sorted where try s3.objectInfo(bucket: bucket, key: key) == nil { missing.insert(key) }
                continue
            }
            var found: Set<String> = []
            let first = sorted[0], last = sorted[sorted.count - 1]
            if try s3.objectInfo(bucket: bucket, key: first) != nil { found.insert(first) }
            var token: String?
            listing: repeat {
                let page = try s3.listObjectsV2Page(bucket: bucket, prefix: folder, delimiter: "/", continuationToken: token, startAfter: first)
                for object in page.objects {
                    if last.utf8.lexicographicallyPrecedes(object.key.utf8) { break listing }
                    if wanted.contains(object.key) { found.insert(object.key) }
                }
                token = page.nextContinuationToken
            } while token != nil
            missing.formUnion(wanted.subtracting(found))
        }
        return missing
    }
}
