import AWS

/// Checks that every key a submit file names exists in the bucket and belongs to the group,
/// before anything is launched. All the problems are named in one sentence.
public enum SubmissionReferences {
    public static func check(_ submit: SubmitFile, bucket: String, group: String, s3: S3Client) throws {
        var problems: [String] = []
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
            if try s3.objectInfo(bucket: bucket, key: key) == nil {
                let folder = field == "dataname" ? "inputs" : "configs"
                problems.append("\"\(field)\" \"\(key)\" does not exist in the bucket \(bucket) (give the key without the bucket name, e.g. \"\(group)/\(folder)/\(JobLayout.basename(key))\", and upload it with `ncaas data put \(bucket) \(group) FILE\(field == "configname" ? " --configs" : "")`)")
            }
        }
        guard problems.isEmpty else {
            throw JobError(.notFound, "INPUT ERROR: nothing was launched: " + problems.joined(separator: "; ") + ".")
        }
    }
}
