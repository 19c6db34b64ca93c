import AWS
import Foundation
import SigV4

/// An IAM user's name and access key, as made on a `MotoServer`.
public struct MotoCredentials: Sendable, Equatable, Decodable {
    public let userName: String
    public let accessKeyId: String
    public let secretAccessKey: String
}

/// A moto server on a free loopback port with signature and IAM policy checks on, like AWS.
///
/// moto lets the first `INITIAL_NO_AUTH_ACTION_COUNT` AWS actions through unchecked and
/// checks every request after that. `Tests/Fixtures/moto_server.py` sets the count to 3
/// and spends exactly those three actions on bootstrapping an admin user (CreateUser,
/// PutUserPolicy allowing `*` on `*`, CreateAccessKey) before it reports ready. From then on
/// a request must be signed with a key of a user whose policy allows the action.
///
/// Each instance is its own server with its own state. The server exits when `stop()` is
/// called, when the instance is released, or when the test process dies (its stdin closes).
/// Note: moto 5.2 answers a request with no `Authorization` header at all with a 500 (it
/// picks the service from the credential scope); a bad signature gets a proper 403.
/// moto 5.2 alone verifies an S3 signature against the percent-decoded path and query, so it refuses
/// correctly signed requests (boto3's too) for keys holding `:` (NeuroCAAS's status files are
/// `logs/DATASET_NAME:<file>_STATUS.txt`) or list prefixes holding `/`. The fixture script makes it
/// verify against the request's raw URI, as AWS does (`verify_s3_signatures_against_the_raw_uri`).
public final class MotoServer: @unchecked Sendable {
    /// `http://127.0.0.1:<port>`.
    public let endpoint: String
    public let port: Int
    /// The region the bootstrap used; moto accepts any.
    public let region = "us-east-1"
    /// The key of the bootstrapped admin user (allowed everything).
    public let adminCredentials: MotoCredentials
    private let child: LineChannelProcess

    private struct Ready: Decodable {
        let port: Int
        let admin: MotoCredentials
    }

    /// Whether signature and IAM checks are on.
    public let checksAuth: Bool

    /// Starts the server and waits (at most `startupTimeout` seconds) until it has answered
    /// the bootstrap requests. `checksAuth: false` starts a plain moto (no checks, no
    /// bootstrap; `adminCredentials` are placeholders any request may use) for what moto
    /// cannot verify with checks on, and for its instance metadata service.
    public init(checksAuth: Bool = true, startupTimeout: TimeInterval = 60) throws {
        self.checksAuth = checksAuth
        // The script binds port 0 itself and reports the port: no window for another
        // process to take it between choosing and binding.
        child = try LineChannelProcess(
            name: "moto",
            command: "python3",
            arguments: ["-u", Fixtures.path("moto_server.py"), "--port", "0"] + (checksAuth ? [] : ["--no-auth"])
        )
        let line = try child.readLine(timeout: startupTimeout)
        guard let ready = try? JSONDecoder().decode(Ready.self, from: Data(line.utf8)) else {
            child.stop()
            throw TestSupportError("moto did not report ready, it said: \(line)", log: child.logTail())
        }
        port = ready.port
        endpoint = "http://127.0.0.1:\(ready.port)"
        adminCredentials = ready.admin
    }

    deinit { stop() }

    private struct CreateUser: Encodable {
        let op = "create_user"
        let name: String
        let policy: String
    }

    private struct CreateUserReply: Decodable {
        let ok: Bool
        let error: String?
        let userName: String?
        let accessKeyId: String?
        let secretAccessKey: String?
    }

    /// Creates an IAM user with `policy` (an IAM policy document, JSON) as its only inline
    /// policy, and an access key for it; the calls are made with the admin key.
    public func createUser(named name: String, policy: String) throws -> MotoCredentials {
        let reply = try child.request(CreateUser(name: name, policy: policy), as: CreateUserReply.self)
        guard reply.ok, let userName = reply.userName, let keyId = reply.accessKeyId, let secret = reply.secretAccessKey else {
            throw TestSupportError("moto could not create user \(name): \(reply.error ?? "no reason given")", log: child.logTail())
        }
        return MotoCredentials(userName: userName, accessKeyId: keyId, secretAccessKey: secret)
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

    /// Environment variables that point the AWS CLI (or boto3) at this server with `credentials`
    /// (and away from the user's own config and credentials files).
    /// An AWS client for this server, signing with `credentials`.
    public func client(_ credentials: MotoCredentials) -> AWSClient {
        AWSClient(region: region,
                  credentials: SigningCredentials(accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey),
                  transport: CurlTransport(), endpoint: endpoint)
    }

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

    /// Stops the server. Safe to call more than once.
    public func stop() { child.stop() }
}
