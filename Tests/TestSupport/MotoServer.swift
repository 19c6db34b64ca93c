import AWS
import Foundation
import LocalCloud
import SigV4

/// An IAM user's name and access key, as made on a `MotoServer`.
public struct MotoCredentials: Sendable, Equatable, Decodable {
    public let userName: String
    public let accessKeyId: String
    public let secretAccessKey: String
}

/// The local cloud's endpoint (the emulator: moto extended so that EC2 instances are real podman
/// containers) on a free loopback port, with signature and IAM policy checks on, as on AWS.
///
/// The emulator makes its first user (`adminCredentials`, allowed everything) in-process, so every
/// HTTP request is checked, the first included; `createUser` makes more, with the policy a test
/// names. Each instance is its own server with its own state and its own instances. The server
/// exits, removing every container it started, when `stop()` is called, when the instance is
/// released, or when the test process dies (its stdin closes).
public final class MotoServer: @unchecked Sendable {
    /// `http://127.0.0.1:<port>`.
    public let endpoint: String
    public let port: Int
    public let region = "us-east-1"
    /// The key of the admin user (allowed everything).
    public let adminCredentials: MotoCredentials
    /// The port of each instance's metadata service, on its own address.
    public let metadataPort: Int
    /// Whether signature and IAM checks are on.
    public let checksAuth: Bool
    private let child: LineChannelProcess
    private let stateFolder: String

    private struct Ready: Decodable {
        let port: Int
        let metadataPort: Int
        let user: MotoCredentials
    }

    /// Starts the server and waits (at most `startupTimeout` seconds) until it serves.
    /// `checksAuth: false` skips the signature and IAM checks, for what moto cannot verify.
    /// `defaultVPC: false` makes an account without a default VPC.
    public init(checksAuth: Bool = true, defaultVPC: Bool = true, startupTimeout: TimeInterval = 60) throws {
        self.checksAuth = checksAuth
        stateFolder = FileManager.default.temporaryDirectory.appendingPathComponent("ncaas-emulator-\(UUID().uuidString)").path
        let folder = try EmulatorFiles.folder()
        child = try LineChannelProcess(
            name: "emulator",
            command: "python3",
            arguments: ["-u", "-m", "ncaas_emulator", "--port", "0", "--exit-with-stdin", "--state-folder", stateFolder,
                        "--podman-options", LocalCloudFixture.paths.podmanOptions, "--base-image", BaseImageRecipe.reference,
                        "--user", "ncaas-test-admin"]
                + (checksAuth ? [] : ["--no-auth"]) + (defaultVPC ? [] : ["--no-default-vpc"]),
            environment: ["PYTHONPATH": folder, "PYTHONDONTWRITEBYTECODE": "1"]
        )
        let line = try child.readLine(timeout: startupTimeout)
        guard let ready = try? JSONDecoder().decode(Ready.self, from: Data(line.utf8)) else {
            child.stop()
            throw TestSupportError("the emulator did not report ready, it said: \(line)", log: child.logTail())
        }
        port = ready.port
        endpoint = "http://127.0.0.1:\(ready.port)"
        adminCredentials = ready.user
        metadataPort = ready.metadataPort
    }

    deinit { stop() }

    private struct CreateUser: Encodable {
        let op = "create_user"
        let name: String
        let policy: String
    }

    private struct Interrupt: Encodable {
        let op = "interrupt"
        let instance: String
        let after: Double
    }

    private struct Reply: Decodable {
        let ok: Bool
        let error: String?
        let userName: String?
        let accessKeyId: String?
        let secretAccessKey: String?
    }

    /// Creates an IAM user with `policy` (an IAM policy document, JSON) as its only inline
    /// policy, and an access key for it.
    public func createUser(named name: String, policy: String) throws -> MotoCredentials {
        let reply = try child.request(CreateUser(name: name, policy: policy), as: Reply.self)
        guard reply.ok, let userName = reply.userName, let keyId = reply.accessKeyId, let secret = reply.secretAccessKey else {
            throw TestSupportError("the emulator could not create user \(name): \(reply.error ?? "no reason given")", log: child.logTail())
        }
        return MotoCredentials(userName: userName, accessKeyId: keyId, secretAccessKey: secret)
    }

    /// Posts a spot interruption notice in the instance's metadata; the instance is terminated
    /// `after` seconds later, as EC2 does.
    public func interrupt(_ instanceId: String, after: Double) throws {
        let reply = try child.request(Interrupt(instance: instanceId, after: after), as: Reply.self)
        guard reply.ok else { throw TestSupportError("the emulator could not interrupt \(instanceId): \(reply.error ?? "not running")") }
    }

    /// Switches the endpoint's spot capacity: while off, RunInstances asking for spot is refused with
    /// InsufficientInstanceCapacity (HTTP 500, as EC2 sends it).
    public func setSpotCapacity(_ available: Bool) throws {
        let response = try CurlTransport().send(HTTPRequest(method: "POST", url: endpoint + "/_ncaas/spot-capacity?available=\(available)"))
        guard response.status == 200 else {
            throw TestSupportError("the emulator could not switch spot capacity: \(String(decoding: response.body, as: UTF8.self))")
        }
    }

    /// Switches an availability zone's capacity: while off, every RunInstances placed in `zone` (by
    /// its subnet, or EC2's default of the region's first zone) is refused with InsufficientInstanceCapacity.
    public func setCapacity(zone: String, available: Bool) throws {
        let response = try CurlTransport().send(HTTPRequest(method: "POST", url: endpoint + "/_ncaas/capacity?zone=\(zone)&available=\(available)"))
        guard response.status == 200 else {
            throw TestSupportError("the emulator could not switch \(zone)'s capacity: \(String(decoding: response.body, as: UTF8.self))")
        }
    }

    /// An AMI of this account backed by an existing podman image (the emulator's stand-in for EC2's
    /// ImportImage), for tests that keep an image they built.
    public func importImage(reference: String, name: String, loginUser: String = "ubuntu") throws -> String {
        var query = URLComponents()
        query.queryItems = [URLQueryItem(name: "reference", value: reference), URLQueryItem(name: "name", value: name),
                            URLQueryItem(name: "login-user", value: loginUser)]
        let response = try CurlTransport().send(HTTPRequest(method: "POST", url: endpoint + "/_ncaas/import-image?" + (query.percentEncodedQuery ?? "")))
        guard response.status == 200, let reply = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any],
              let imageId = reply["imageId"] as? String else {
            throw TestSupportError("the emulator could not import \(reference): \(String(decoding: response.body, as: UTF8.self))")
        }
        return imageId
    }

    /// An IAM policy document allowing `actions` on `resources`.
    public static func allowPolicy(actions: [String], resources: [String] = ["*"]) -> String {
        let document: [String: Any] = [
            "Version": "2012-10-17",
            "Statement": [["Effect": "Allow", "Action": actions, "Resource": resources]],
        ]
        let data = (try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// An AWS client for this server, signing with `credentials`.
    public func client(_ credentials: MotoCredentials) -> AWSClient {
        AWSClient(region: region,
                  credentials: SigningCredentials(accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey),
                  transport: CurlTransport(), endpoint: endpoint)
    }

    /// Environment variables that point the AWS CLI (or boto3) at this server with `credentials`
    /// (and away from the user's own config and credentials files).
    public func awsEnvironment(_ credentials: MotoCredentials) -> [String: String] {
        [
            "AWS_ACCESS_KEY_ID": credentials.accessKeyId,
            "AWS_SECRET_ACCESS_KEY": credentials.secretAccessKey,
            "AWS_DEFAULT_REGION": region,
            "AWS_ENDPOINT_URL": endpoint,
            "AWS_CONFIG_FILE": "/dev/null",
            "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
        ]
    }

    /// The server's stderr (one line per request), for diagnostics.
    public func logTail(bytes: Int = 4000) -> String { child.logTail(bytes: bytes) }

    /// Stops the server, which removes every container it started. Safe to call more than once.
    public func stop() {
        child.stop(grace: 60)
        try? FileManager.default.removeItem(atPath: stateFolder)
    }
}
