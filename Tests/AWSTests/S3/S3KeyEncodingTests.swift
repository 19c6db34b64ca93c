import XCTest
@testable import AWS

/// Keys and listing parameters that moto cannot verify signatures for: moto re-derives the
/// canonical request from a path and query it has already decoded, so characters such as
/// `:`, `(`, `+`, `=`, non-ASCII in keys and `/` in query values fail its check, with boto3
/// as well as with this client (checked by hand against moto 5.2.1). AWS verifies the encoded
/// form, which is what the signer produces. These tests check the encoding itself, through
/// a moto without auth checks: every key round-trips, and listing by folder works.
final class S3KeyEncodingTests: MotoTestCase {
    override class var motoChecksAuth: Bool { false }

    func testKeysWithReservedAndNonASCIICharactersRoundTrip() throws {
        let s3 = S3Client(try moto.client())
        try s3.createBucket("ncaas-keys")
        let keys = ["grpa/results/job__demo_2024-01-01T00:00:00/logs/DATASET_NAME:data.csv_STATUS.txt",
                    "grpa/inputs/file (1)+final=yes&more;@,!$'*.txt", "grpa/inputs/données é/ü.bin",
                    "grpa/inputs/percent%20literal.txt", "grpa/inputs/tilde~and space.txt"]
        for key in keys {
            try s3.putObject(bucket: "ncaas-keys", key: key, data: Data(key.utf8))
            XCTAssertEqual(String(decoding: try s3.getObject(bucket: "ncaas-keys", key: key), as: UTF8.self), key)
        }
        XCTAssertEqual(try s3.listObjectsV2(bucket: "ncaas-keys").objects.map(\.key), keys.sorted())
    }

    func testListingByFolderWithDelimiter() throws {
        let s3 = S3Client(try moto.client())
        try s3.createBucket("ncaas-folders")
        let keys = ["grpa/inputs/a.txt", "grpa/inputs/sub dir/c.txt", "grpa/configs/x.json",
                    "grpa/results/job__x_1/logs/certificate.txt", "grpb/inputs/z.txt"]
        for key in keys { try s3.putObject(bucket: "ncaas-folders", key: key, data: Data("x".utf8)) }
        let folders = try s3.listObjectsV2(bucket: "ncaas-folders", prefix: "grpa/", delimiter: "/")
        XCTAssertEqual(folders.objects, [])
        XCTAssertEqual(folders.commonPrefixes, ["grpa/configs/", "grpa/inputs/", "grpa/results/"])
        let inputs = try s3.listObjectsV2(bucket: "ncaas-folders", prefix: "grpa/inputs/", delimiter: "/")
        XCTAssertEqual(inputs.objects.map(\.key), ["grpa/inputs/a.txt"])
        XCTAssertEqual(inputs.commonPrefixes, ["grpa/inputs/sub dir/"])
    }
}
