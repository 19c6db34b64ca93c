import AWS

/// What a job's `process_results/` holds (key and ETag), read before and after COMMAND, so a COMMAND
/// that writes its results to S3 itself (NeuroCAAS's way: `aws s3 cp ... s3://$1/$3/process_results/`)
/// is credited with them, not reported as "0 copied". Datasets of one job share the folder, so what
/// one dataset's COMMAND is credited with is what appeared while it ran, apart from what ncaas
/// copied itself and what is named after another dataset of the job. Read with direct staging
/// only: with SFTP staging instances have no credentials.
struct ResultListing {
    var eTags: [String: String]

    static func read(s3: S3Client, layout: JobLayout) throws -> ResultListing {
        let listing = try s3.listObjectsV2(bucket: layout.bucket, prefix: layout.processResultsPrefix)
        return ResultListing(eTags: Dictionary(listing.objects.map { ($0.key, $0.eTag ?? "") }, uniquingKeysWith: { _, last in last }))
    }

    /// How many objects are new or changed since `before`, apart from `copiedByNCAAS` (what ncaas
    /// copied there from any dataset's `$NCAAS_OUTPUT` meanwhile) and from those whose name carries
    /// another dataset's file name and not `dataset`'s (analyses name results after their input).
    func changed(since before: ResultListing, copiedByNCAAS: Set<String>, dataset: String, jobDatasets: [String]) -> Int {
        let mine = JobLayout.basename(dataset)
        let others = Set(jobDatasets.map(JobLayout.basename)).subtracting([mine])
        return eTags.filter { key, eTag in
            guard before.eTags[key] != eTag, !copiedByNCAAS.contains(key) else { return false }
            let name = JobLayout.basename(key)
            return name.contains(mine) || !others.contains(where: { name.contains($0) })
        }.count
    }

    /// The success sentence: what COMMAND wrote to `process_results/` itself and what ncaas copied there from `$NCAAS_OUTPUT`.
    static func sentence(written: Int, copied: Int, layout: JobLayout) -> String {
        func files(_ n: Int) -> String { "\(n) result file\(n == 1 ? "" : "s")" }
        let folder = layout.processResultsPrefix
        switch (written, copied) {
        case (0, 0):
            return "COMMAND succeeded; it left no result files (nothing new in \(folder), and $NCAAS_OUTPUT was empty)."
        case (0, _):
            return "COMMAND succeeded; \(files(copied)) copied to \(folder)."
        case (_, 0):
            return "COMMAND succeeded; \(files(written)) in \(folder), written while COMMAND ran."
        default:
            return "COMMAND succeeded; \(files(written + copied)) in \(folder) (\(written) written while COMMAND ran, \(copied) copied from $NCAAS_OUTPUT)."
        }
    }
}
