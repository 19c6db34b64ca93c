import AWS
import Foundation
import LocalCloud
import XCTest

final class AWSProfileFilesTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("ncaas-profile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    private var files: AWSProfileFiles {
        AWSProfileFiles(configPath: folder.appendingPathComponent("aws/config").path,
                        credentialsPath: folder.appendingPathComponent("aws/credentials").path)
    }

    private func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    func testWritingTheProfileKeepsEveryOtherLineAndReplacesOnlyItsOwnSection() throws {
        let config = """
            # my settings
            [default]
            region = eu-west-1

            [profile local]
            region = old
            endpoint_url = http://127.0.0.1:1

            [profile work]
            region = us-west-2  ; trailing comment
            s3 =
              max_concurrent_requests = 4

            """
        try FileManager.default.createDirectory(atPath: folder.appendingPathComponent("aws").path, withIntermediateDirectories: true)
        try config.write(toFile: files.configPath, atomically: true, encoding: .utf8)
        try "[default]\naws_access_key_id = AKIAKEEP\naws_secret_access_key = keep\n".write(toFile: files.credentialsPath, atomically: true, encoding: .utf8)
        chmod(files.credentialsPath, 0o600)

        for _ in 0..<2 {
            try files.write(profile: "local", settings: [("region", "us-east-1"), ("endpoint_url", "http://127.0.0.1:5077")],
                            credentials: [("aws_access_key_id", "a"), ("aws_secret_access_key", "b")])
        }
        XCTAssertEqual(try read(files.configPath), """
            # my settings
            [default]
            region = eu-west-1

            [profile local]
            region = us-east-1
            endpoint_url = http://127.0.0.1:5077

            [profile work]
            region = us-west-2  ; trailing comment
            s3 =
              max_concurrent_requests = 4

            """)
        XCTAssertEqual(try read(files.credentialsPath), "[default]\naws_access_key_id = AKIAKEEP\naws_secret_access_key = keep\n\n[local]\naws_access_key_id = a\naws_secret_access_key = b\n")
        let mode = try FileManager.default.attributesOfItem(atPath: files.credentialsPath)[.posixPermissions] as? NSNumber
        XCTAssertEqual(mode?.intValue, 0o600, "the credentials file keeps its private mode")
        XCTAssertEqual(files.setting("endpoint_url", profile: "local"), "http://127.0.0.1:5077")

        try files.remove(profile: "local")
        XCTAssertFalse(try read(files.configPath).contains("local"))
        XCTAssertTrue(try read(files.configPath).contains("[profile work]"))
        XCTAssertEqual(try read(files.credentialsPath), "[default]\naws_access_key_id = AKIAKEEP\naws_secret_access_key = keep\n")
    }

    func testTheResolverSendsEveryServiceToTheProfilesEndpoint() throws {
        try files.write(profile: "local", settings: [("region", "us-east-1"), ("endpoint_url", "http://127.0.0.1:5077")],
                        credentials: [("aws_access_key_id", "ncaas-local"), ("aws_secret_access_key", "secret")])
        let mode = try FileManager.default.attributesOfItem(atPath: files.credentialsPath)[.posixPermissions] as? NSNumber
        XCTAssertEqual(mode?.intValue, 0o600, "a new credentials file is private")
        let environment = ConfigurationEnvironment(variables: [
            "AWS_CONFIG_FILE": files.configPath, "AWS_SHARED_CREDENTIALS_FILE": files.credentialsPath, "NCAAS_PROFILE": "local",
        ], homeDirectory: folder.path)
        let configuration = try AWSConfigurationResolver(environment: environment).resolve()
        XCTAssertEqual(configuration.region.value, "us-east-1")
        XCTAssertEqual(configuration.credentials.credentials.accessKeyId, "ncaas-local")
        for service in AWSService.allCases {
            XCTAssertEqual(configuration.endpoint(for: service).url, "http://127.0.0.1:5077", "\(service)")
        }
    }
}
