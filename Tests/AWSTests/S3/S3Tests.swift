import XCTest
@testable import AWS

/// S3 operations against moto with signature and IAM checks on (region us-west-2, so
/// CreateBucket sends a LocationConstraint).
final class S3Tests: MotoTestCase {
    private var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("s3tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: scratch)
    }

    private func newBucket(_ s3: S3Client, _ name: String) throws -> String {
        try s3.createBucket(name)
        return name
    }

    func testBucketLifecycle() throws {
        let s3 = S3Client(try moto.client())
        XCTAssertFalse(try s3.bucketExists("ncaas-lifecycle"))
        try s3.createBucket("ncaas-lifecycle")
        XCTAssertNoThrow(try s3.headBucket("ncaas-lifecycle"))
        XCTAssertTrue(try s3.bucketExists("ncaas-lifecycle"))
        XCTAssertThrowsError(try s3.createBucket("ncaas-lifecycle")) { error in
            XCTAssertEqual((error as? AWSError)?.code, "BucketAlreadyOwnedByYou", "\(error)")
        }
        try s3.deleteBucket("ncaas-lifecycle")
        XCTAssertThrowsError(try s3.headBucket("ncaas-lifecycle")) { error in
            XCTAssertEqual((error as? AWSError)?.status, 404, "\(error)")
        }
    }

    /// Keys with "." and ".." segments go on the wire byte for byte, signed as sent (moto checks the
    /// signature against the raw path): libcurl used to remove the segments, so "grpa/../grpb/x" read
    /// and deleted "grpb/x".
    func testKeysWithDotSegmentsAreSentAsTheyAre() throws {
        let s3 = S3Client(try moto.client())
        let bucket = try newBucket(s3, "ncaas-dots")
        try s3.putObject(bucket: bucket, key: "grpb/inputs/x.csv", data: Data("grpb's data".utf8))
        let dotted = ["grpa/../grpb/inputs/x.csv", "grpa/./inputs/x.csv", "grpa/inputs/..", "grpa/inputs/../../x"]
        for key in dotted { try s3.putObject(bucket: bucket, key: key, data: Data("dotted \(key)".utf8)) }
        for key in dotted {
            XCTAssertEqual(String(decoding: try s3.getObject(bucket: bucket, key: key), as: UTF8.self), "dotted \(key)")
        }
        XCTAssertEqual(String(decoding: try s3.getObject(bucket: bucket, key: "grpb/inputs/x.csv"), as: UTF8.self), "grpb's data", "not overwritten")
        XCTAssertEqual(Set(try s3.listObjectsV2(bucket: bucket).objects.map(\.key)), Set(dotted + ["grpb/inputs/x.csv"]))
        for key in dotted { try s3.deleteObject(bucket: bucket, key: key) }
        XCTAssertEqual(try s3.listObjectsV2(bucket: bucket).objects.map(\.key), ["grpb/inputs/x.csv"], "the dotted keys were deleted, not grpb's")
    }

    func testObjectsRoundTripThroughMemoryAndFiles() throws {
        let s3 = S3Client(try moto.client())
        let bucket = try newBucket(s3, "ncaas-objects")
        let key = "grpa/inputs/data set 1/file-1.txt"
        let content = Data("line one\nline two\n".utf8)
        let eTag = try s3.putObject(bucket: bucket, key: key, data: content, contentType: "text/plain")
        XCTAssertNotNil(eTag)
        XCTAssertEqual(try s3.getObject(bucket: bucket, key: key), content)

        let info = try s3.headObject(bucket: bucket, key: key)
        XCTAssertEqual(info.contentLength, Int64(content.count))
        XCTAssertEqual(info.contentType, "text/plain")
        XCTAssertEqual(info.eTag, eTag)

        let source = scratch.appendingPathComponent("upload.bin")
        let bytes = Data((0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        try bytes.write(to: source)
        try s3.putObject(bucket: bucket, key: "grpa/configs/config.bin",
                         body: .file(path: source.path, offset: 0, length: UInt64(bytes.count)), metadata: ["origin": "test"])
        let target = scratch.appendingPathComponent("download.bin")
        let downloaded = try s3.getObject(bucket: bucket, key: "grpa/configs/config.bin", toFile: target.path)
        XCTAssertEqual(try Data(contentsOf: target), bytes)
        XCTAssertEqual(downloaded.contentLength, Int64(bytes.count))
        XCTAssertEqual(try s3.headObject(bucket: bucket, key: "grpa/configs/config.bin").metadata["origin"], "test")

        try s3.deleteObject(bucket: bucket, key: key)
        XCTAssertNil(try s3.objectInfo(bucket: bucket, key: key))
        let missing = scratch.appendingPathComponent("missing.bin")
        XCTAssertThrowsError(try s3.getObject(bucket: bucket, key: key, toFile: missing.path)) { error in
            XCTAssertEqual((error as? AWSError)?.code, "NoSuchKey", "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: missing.path), "an error reply is not left behind as the download")
        // A failed download leaves an existing file as it was.
        XCTAssertThrowsError(try s3.getObject(bucket: bucket, key: key, toFile: target.path))
        XCTAssertEqual(try Data(contentsOf: target), bytes)
    }

    /// With auth on, moto cannot verify a query value holding "/" (boto3 fails the same
    /// way), so prefixes here have none; `S3KeyEncodingTests` lists by folder.
    func testListObjectsV2WithPrefixAndPages() throws {
        let s3 = S3Client(try moto.client())
        let bucket = try newBucket(s3, "ncaas-listing")
        let keys = ["grpa/inputs/a.txt", "grpa/inputs/b.txt", "grpa/inputs/sub dir/c.txt", "grpa/configs/x.json", "grpb/inputs/z.txt"]
        for key in keys { try s3.putObject(bucket: bucket, key: key, data: Data(key.utf8)) }

        let grpa = try s3.listObjectsV2(bucket: bucket, prefix: "grpa")
        XCTAssertEqual(grpa.objects.map(\.key), keys.filter { $0.hasPrefix("grpa") }.sorted())
        XCTAssertEqual(grpa.objects.first?.size, Int64("grpa/configs/x.json".utf8.count))

        let firstPage = try s3.listObjectsV2Page(bucket: bucket, maxKeys: 2)
        XCTAssertEqual(firstPage.objects.count, 2)
        XCTAssertNotNil(firstPage.nextContinuationToken)
        let everything = try s3.listObjectsV2(bucket: bucket, pageSize: 2)
        XCTAssertEqual(everything.objects.map(\.key), keys.sorted())
        XCTAssertThrowsError(try s3.listObjectsV2(bucket: bucket, pageSize: 2, pageLimit: 2)) { error in
            XCTAssertEqual((error as? AWSClientError)?.kind, .pageLimitExceeded)
        }
    }

    func testMultipartUploadOfALargeFileRoundTripsByteIdentical() throws {
        let s3 = S3Client(try moto.client())
        let bucket = try newBucket(s3, "ncaas-multipart")
        let source = scratch.appendingPathComponent("large.bin")
        let size = 11 * 1024 * 1024
        var generator = SystemRandomNumberGenerator()
        let words = (0..<(size / 8)).map { _ in generator.next() as UInt64 }
        let bytes = words.withUnsafeBytes { Data($0) }
        try bytes.write(to: source)
        var reported: [UInt64] = []
        let eTag = try s3.uploadFile(source.path, bucket: bucket, key: "grpa/inputs/large.bin", partSize: 5 * 1024 * 1024,
                                     progress: { sent, _ in reported.append(sent) })
        XCTAssertEqual(reported, [5 * 1024 * 1024, 10 * 1024 * 1024, UInt64(size)], "three parts: 5 + 5 + 1 MiB")
        XCTAssertTrue(eTag?.hasSuffix("-3\"") ?? false, "a multipart ETag names its part count: \(String(describing: eTag))")

        let target = scratch.appendingPathComponent("large.out")
        try s3.getObject(bucket: bucket, key: "grpa/inputs/large.bin", toFile: target.path)
        XCTAssertEqual(try Data(contentsOf: target), bytes)
        XCTAssertEqual(try s3.listMultipartUploads(bucket: bucket).count, 0)
    }

    func testAbortedMultipartUploadLeavesNothing() throws {
        let s3 = S3Client(try moto.client())
        let bucket = try newBucket(s3, "ncaas-abort")
        let uploadId = try s3.createMultipartUpload(bucket: bucket, key: "partial.bin")
        _ = try s3.uploadPart(bucket: bucket, key: "partial.bin", uploadId: uploadId, partNumber: 1,
                              body: .bytes(Data(repeating: 1, count: 1024)))
        XCTAssertEqual(try s3.listMultipartUploads(bucket: bucket).map(\.uploadId), [uploadId])
        try s3.abortMultipartUpload(bucket: bucket, key: "partial.bin", uploadId: uploadId)
        XCTAssertEqual(try s3.listMultipartUploads(bucket: bucket).count, 0)
        XCTAssertNil(try s3.objectInfo(bucket: bucket, key: "partial.bin"))
    }

    func testFailedMultipartUploadIsAborted() throws {
        let moto = try moto
        let s3 = S3Client(moto.client())
        let bucket = try newBucket(s3, "ncaas-failing-upload")
        let source = scratch.appendingPathComponent("big.bin")
        try Data(repeating: 7, count: 6 * 1024 * 1024).write(to: source)
        // Shrink the file once the first part is sent: the second part cannot be read.
        let handle = try FileHandle(forWritingTo: source)
        XCTAssertThrowsError(try s3.uploadFile(source.path, bucket: bucket, key: "big.bin", partSize: 5 * 1024 * 1024,
                                               progress: { sent, _ in
                                                   if sent == 5 * 1024 * 1024 { try? handle.truncate(atOffset: 5 * 1024 * 1024 - 10) }
                                               })) { error in
            XCTAssertEqual((error as? AWSClientError)?.kind, .invalidInput, "\(error)")
        }
        try handle.close()
        XCTAssertEqual(try s3.listMultipartUploads(bucket: bucket).count, 0, "the failed upload was aborted")
        XCTAssertNil(try s3.objectInfo(bucket: bucket, key: "big.bin"))
    }

    func testBucketNotificationsToSQS() throws {
        let client = try moto.client()
        let s3 = S3Client(client)
        let sqs = SQSClient(client)
        let bucket = try newBucket(s3, "ncaas-notify")
        let queueURL = try sqs.createQueue(name: "ncaas-submissions")
        let queueArn = try XCTUnwrap(try sqs.getQueueAttributes(queueURL: queueURL, names: ["QueueArn"])["QueueArn"])
        let configuration = S3QueueConfiguration(id: "submissions", queueArn: queueArn, events: ["s3:ObjectCreated:*"],
                                                 prefix: "grpa/submissions/", suffix: "submit.json")
        try s3.putBucketNotificationConfiguration(bucket: bucket, queues: [configuration])
        XCTAssertEqual(try s3.getBucketNotificationConfiguration(bucket: bucket), [configuration])

        try s3.putObject(bucket: bucket, key: "grpa/inputs/ignored.txt", data: Data("x".utf8))
        try s3.putObject(bucket: bucket, key: "grpa/submissions/mysubmit.json", data: Data("{}".utf8))
        var bodies: [String] = []
        for _ in 0..<5 where bodies.isEmpty {
            let messages = try sqs.receiveMessages(queueURL: queueURL, maxMessages: 10, waitTimeSeconds: 1)
            bodies += messages.map(\.body)
            for message in messages { try sqs.deleteMessage(queueURL: queueURL, receiptHandle: message.receiptHandle) }
        }
        let events = bodies.filter { $0.contains("ObjectCreated") }
        XCTAssertEqual(events.count, 1, "\(bodies)")
        // Event records carry the key URL-encoded.
        XCTAssertTrue(events.first?.removingPercentEncoding?.contains("grpa/submissions/mysubmit.json") ?? false, "\(events)")

        try s3.putBucketNotificationConfiguration(bucket: bucket, queues: [])
        XCTAssertEqual(try s3.getBucketNotificationConfiguration(bucket: bucket), [])
    }
}
