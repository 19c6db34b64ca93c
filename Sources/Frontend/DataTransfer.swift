import AWS
import Foundation
import Jobs
import Support

/// `ncaas data put` and `ncaas data get`: files into a group's `inputs/` (or `configs/`) folder,
/// and a job's results out of its `results/` folder.
public enum DataTransfer {
    /// One file moved: its key and its size in bytes.
    public struct Moved: Sendable {
        public var key: String
        public var path: String
        public var bytes: Int64
    }

    /// Uploads `files` to `<group>/inputs/<name>` (or `configs/`) of the analysis `target`. Every
    /// file is checked before anything else (credentials, the bucket), so a missing one changes nothing.
    public static func put(_ target: String, group: String, files: [String], configs: Bool, overrides: ConfigurationOverrides,
                           progress: (String) -> Void) throws -> (target: JobTarget, moved: [Moved]) {
        let sizes = try checkedSizes(files)
        let job = try JobTarget.make(target, group: group, overrides: overrides)
        return (job, try put(job, files: files, sizes: sizes, configs: configs, progress: progress))
    }

    /// The size of each file; refuses a missing, unreadable or repeated one.
    static func checkedSizes(_ files: [String]) throws -> [Int64] {
        var sizes: [Int64] = []
        for file in files {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: file, isDirectory: &isFolder) else {
                throw JobError(.notFound, "\(file) does not exist; nothing was uploaded.")
            }
            guard !isFolder.boolValue, FileManager.default.isReadableFile(atPath: file) else {
                throw JobError(.badInput, "\(file) is \(isFolder.boolValue ? "a folder" : "not readable"); give files (nothing was uploaded).")
            }
            sizes.append(((try? FileManager.default.attributesOfItem(atPath: file)[.size]) as? NSNumber)?.int64Value ?? 0)
        }
        let names = files.map { ($0 as NSString).lastPathComponent }
        if let repeated = names.first(where: { name in names.filter { $0 == name }.count > 1 }) {
            throw JobError(.badInput, "Two files are named \(repeated); they would land on the same key (nothing was uploaded).")
        }
        return sizes
    }

    static func put(_ target: JobTarget, files: [String], sizes: [Int64], configs: Bool, progress: (String) -> Void) throws -> [Moved] {
        let names = files.map { ($0 as NSString).lastPathComponent }
        let folder = configs ? "configs" : "inputs"
        var moved: [Moved] = []
        for (index, file) in files.enumerated() {
            let key = "\(target.group)/\(folder)/\(names[index])"
            progress("uploading \(file) to s3://\(target.bucket)/\(key) (\(sizes[index]) bytes)")
            do {
                try target.s3.uploadFile(file, bucket: target.bucket, key: key)
            } catch {
                // Say which files are there and which are not; uploading again is harmless.
                guard !moved.isEmpty else { throw error }
                throw PartialFailure(error: error, done: ["uploaded " + moved.map(\.path).joined(separator: ", ")],
                                     notDone: files[index...].joined(separator: ", ") + " \(files.count - index == 1 ? "was" : "were") not uploaded; run the same command again to upload \(files.count - index == 1 ? "it" : "them")")
            }
            moved.append(Moved(key: key, path: file, bytes: sizes[index]))
        }
        return moved
    }

    /// The key prefix of `results`: a job name (`job__x_ts`), `results/job__x_ts` or `<group>/results/job__x_ts`.
    public static func resultsPrefix(_ results: String, group: String) -> String {
        var rest = Substring(results)
        if rest.hasPrefix(group + "/") { rest = rest.dropFirst(group.count + 1) }
        if rest.hasPrefix("results/") { rest = rest.dropFirst("results/".count) }
        let trimmed = rest.hasSuffix("/") ? String(rest) : String(rest) + "/"
        return "\(group)/results/" + trimmed
    }

    /// An object `get` did not download, and why.
    public struct Skipped: Sendable, Equatable {
        public var key: String
        public var reason: String
    }

    /// Downloads every object under the results prefix into `destination`, keeping paths below it.
    /// An object whose key would land outside `destination` (a ".." segment) is skipped and returned
    /// with the reason, never written.
    public static func get(_ target: JobTarget, results: String, destination: String,
                           progress: (String) -> Void) throws -> (moved: [Moved], skipped: [Skipped]) {
        let prefix = resultsPrefix(results, group: target.group)
        let objects = try target.s3.listObjectsV2(bucket: target.bucket, prefix: prefix).objects.filter { !$0.key.hasSuffix("/") }
        guard !objects.isEmpty else {
            throw JobError(.notFound, "There is nothing under s3://\(target.bucket)/\(prefix); give a job's name, job__\(target.bucket)_<timestamp> (the submit file's \"timestamp\").")
        }
        var moved: [Moved] = []
        var skipped: [Skipped] = []
        for object in objects {
            let relative = String(object.key.dropFirst(prefix.count))
            guard !relative.split(separator: "/").contains("..") else {
                skipped.append(Skipped(key: object.key, reason: "its key has a \"..\" segment, so it would be written outside \(destination)"))
                continue
            }
            let path = (destination as NSString).appendingPathComponent(relative)
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            progress("downloading s3://\(target.bucket)/\(object.key)")
            try target.s3.getObject(bucket: target.bucket, key: object.key, toFile: path)
            moved.append(Moved(key: object.key, path: path, bytes: object.size))
        }
        return (moved, skipped)
    }

    /// The sentence for objects `get` skipped: what and why, and that the rest was downloaded.
    public static func skippedError(_ skipped: [Skipped], bucket: String, downloaded: Int) -> JobError {
        let list = skipped.map { "s3://\(bucket)/\($0.key) (\($0.reason))" }.joined(separator: "; ")
        return JobError(.failed, "Skipped \(skipped.count) object\(skipped.count == 1 ? "" : "s") and downloaded the other \(downloaded): \(list); fetch \(skipped.count == 1 ? "it" : "them") by hand under a name of your choice if you need \(skipped.count == 1 ? "it" : "them").")
    }
}
