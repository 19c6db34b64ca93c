import AWS
import Deploy
import Foundation
import SigV4
import TestSupport
import XCTest

/// A template this endpoint already accepted is not validated again: observed on the wire in
/// front of moto (signature and IAM checks on), not assumed.
final class TemplateValidationCacheTests: XCTestCase {
    private var server: MotoServer!
    private var wire: ActionRecordingTransport!
    private var cache: ValidatedTemplateCache!
    /// The progress steps of every deploy so far.
    private var steps: [String] = []

    override func setUpWithError() throws {
        server = try MotoServer()
        wire = ActionRecordingTransport()
        let folder = try DeployFixtures.scratchFolder(for: self)
        // The cache's folder does not exist yet: the first record makes it.
        cache = ValidatedTemplateCache(path: folder.appendingPathComponent("cache/validated-templates.json").path)
    }

    override func tearDown() {
        server?.stop()
    }

    private var client: AWSClient {
        AWSClient(region: server.region,
                  credentials: SigningCredentials(accessKeyId: server.adminCredentials.accessKeyId,
                                                  secretAccessKey: server.adminCredentials.secretAccessKey),
                  transport: wire, endpoint: server.endpoint)
    }

    private func deploy(_ text: String, dryRun: Bool = false) throws -> StackDeployer.Result {
        let progress: (DeployProgress) -> Void = { [unowned self] in if case .step(let line) = $0 { steps.append(line) } }
        return try StackDeployer(client: client, template: DeployFixtures.template(text), progress: progress)
            .deploy(.init(dryRun: dryRun, validationCache: cache))
    }

    func testTheSameTemplateIsValidatedOnceAndAChangedOneAgain() throws {
        let text = DeployFixtures.blueprintText(name: "cached-validation", affiliates: [])
        let first = try deploy(text)
        XCTAssertEqual(first.action, .created)
        XCTAssertEqual(first.validation, .validated)
        XCTAssertEqual(wire.count("ValidateTemplate"), 1)

        steps = []
        let second = try deploy(text)
        XCTAssertEqual(second.action, .unchanged)
        XCTAssertEqual(second.validation, .alreadyValidated)
        XCTAssertEqual(wire.count("ValidateTemplate"), 1, "the second deploy sent no ValidateTemplate: \(wire.actions)")
        XCTAssertTrue(steps.contains { $0.hasPrefix("not validating the template: \(server.endpoint) accepted exactly this template before") }, "\(steps)")

        let changed = try deploy(DeployFixtures.blueprintText(name: "cached-validation", affiliates: [], instanceType: "m5.large"))
        XCTAssertEqual(changed.action, .updated)
        XCTAssertEqual(changed.validation, .validated)
        XCTAssertEqual(wire.count("ValidateTemplate"), 2, "a changed template is validated again")
    }

    func testADryRunWarmsTheCache() throws {
        let text = DeployFixtures.blueprintText(name: "warmed-by-preview", affiliates: [])
        XCTAssertEqual(try deploy(text, dryRun: true).action, .previewed)
        XCTAssertEqual(wire.count("ValidateTemplate"), 1)
        let created = try deploy(text)
        XCTAssertEqual(created.action, .created)
        XCTAssertEqual(created.validation, .alreadyValidated)
        XCTAssertEqual(wire.count("ValidateTemplate"), 1)
    }

    func testARejectedTemplateIsNotRemembered() throws {
        // A user without cloudformation:ValidateTemplate: the call fails, so nothing is recorded.
        let noValidate = try server.createUser(named: "no-validate", policy: MotoServer.allowPolicy(
            actions: ["cloudformation:DescribeStacks", "cloudformation:CreateChangeSet", "cloudformation:DescribeChangeSet",
                      "cloudformation:DeleteChangeSet", "cloudformation:DeleteStack", "s3:*", "iam:GetUser"]))
        let limited = AWSClient(region: server.region, credentials: SigningCredentials(accessKeyId: noValidate.accessKeyId,
                                                                                       secretAccessKey: noValidate.secretAccessKey),
                                transport: wire, endpoint: server.endpoint)
        let template = try DeployFixtures.template(DeployFixtures.blueprintText(name: "refused-validation", affiliates: []))
        XCTAssertThrowsError(try StackDeployer(client: limited, template: template).deploy(.init(validationCache: cache))) { error in
            XCTAssertEqual((error as? AWSError)?.operation, "ValidateTemplate", "\(error)")
        }
        XCTAssertFalse(cache.contains(templateBody: template.text, endpoint: server.endpoint))
        XCTAssertFalse(FileManager.default.fileExists(atPath: cache.path))
    }

    func testACorruptCacheIsIgnoredAndReplaced() throws {
        try FileManager.default.createDirectory(atPath: (cache.path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data("{\"validated\": [{\"endpoint\": 3".utf8).write(to: URL(fileURLWithPath: cache.path))
        let text = DeployFixtures.blueprintText(name: "corrupt-cache", affiliates: [])
        let created = try deploy(text)
        XCTAssertEqual(created.action, .created)
        XCTAssertEqual(created.validation, .validated)
        XCTAssertEqual(wire.count("ValidateTemplate"), 1)
        // Rewritten whole: readable again, and the next deploy skips the call.
        let file = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: cache.path))) as? [String: Any])
        XCTAssertEqual((file["validated"] as? [Any])?.count, 1)
        XCTAssertEqual(try deploy(text).validation, .alreadyValidated)
        XCTAssertEqual(wire.count("ValidateTemplate"), 1)
    }
}

/// The cache file on its own: per endpoint, bounded, corrupt or unwritable means empty.
final class ValidatedTemplateCacheFileTests: XCTestCase {
    func testEntriesArePerEndpointAndBoundedOldestFirst() throws {
        let folder = try DeployFixtures.scratchFolder(for: self)
        let cache = ValidatedTemplateCache(path: folder.appendingPathComponent("c/validated.json").path, limit: 3)
        cache.record(templateBody: "t0", endpoint: "http://a")
        XCTAssertTrue(cache.contains(templateBody: "t0", endpoint: "http://a"))
        XCTAssertFalse(cache.contains(templateBody: "t0", endpoint: "http://b"), "another endpoint has not validated it")
        XCTAssertFalse(cache.contains(templateBody: "t0 ", endpoint: "http://a"), "one byte more is another template")
        for body in ["t1", "t2", "t3"] { cache.record(templateBody: body, endpoint: "http://a") }
        XCTAssertFalse(cache.contains(templateBody: "t0", endpoint: "http://a"), "the oldest is forgotten past the limit")
        XCTAssertTrue(["t1", "t2", "t3"].allSatisfy { cache.contains(templateBody: $0, endpoint: "http://a") })
        // Recording again makes an entry the newest.
        cache.record(templateBody: "t1", endpoint: "http://a")
        cache.record(templateBody: "t4", endpoint: "http://a")
        XCTAssertTrue(cache.contains(templateBody: "t1", endpoint: "http://a"))
        XCTAssertFalse(cache.contains(templateBody: "t2", endpoint: "http://a"))
    }

    func testAnUnwritableCacheIsNoError() throws {
        let folder = try DeployFixtures.scratchFolder(for: self)
        let blocker = folder.appendingPathComponent("file")
        try Data().write(to: blocker)
        let cache = ValidatedTemplateCache(path: blocker.appendingPathComponent("cache/v.json").path)
        cache.record(templateBody: "t", endpoint: "http://a")
        XCTAssertFalse(cache.contains(templateBody: "t", endpoint: "http://a"))
    }

    func testTheDefaultPathFollowsNCAASHomeElseHome() {
        XCTAssertEqual(ValidatedTemplateCache.defaultPath(environment: ["NCAAS_HOME": "/x/nc", "HOME": "/home/u"]), "/x/nc/cache/validated-templates.json")
        XCTAssertEqual(ValidatedTemplateCache.defaultPath(environment: ["HOME": "/home/u"]), "/home/u/.ncaas/cache/validated-templates.json")
    }
}
