import Foundation
import XCTest
@testable import AWS
import SigV4
import TestSupport

/// `credential_process` with a small script each test writes: run without a shell, its keys
/// (moto users') sign the calls, and it runs again before what it printed expires.
final class ProcessCredentialsTests: XCTestCase {
    nonisolated(unsafe) private static var sharedMoto: MotoFixture?
    private var moto: MotoFixture!

    override class func tearDown() {
        sharedMoto?.stop()
        sharedMoto = nil
        super.tearDown()
    }

    override func setUpWithError() throws {
        if Self.sharedMoto == nil { Self.sharedMoto = try MotoFixture() }
        moto = Self.sharedMoto
    }

    private func user() throws -> (name: String, key: SigningCredentials) {
        let name = "proc-\(UUID().uuidString.prefix(8).lowercased())"
        return (name, try moto.credentials(forUser: name, policy: MotoServer.allowPolicy(actions: ["sts:GetCallerIdentity"])))
    }

    /// A script that records its arguments, counts its runs and prints the keys in turn
    /// (valid for an hour when `expiring`).
    private func script(in home: ConfigurationTestHome, keys: [SigningCredentials], expiring: Bool) throws -> String {
        let cases = keys.enumerated().map { index, key in
            "  \(index)) key=\(key.accessKeyId); secret=\(key.secretAccessKey) ;;"
        }.joined(separator: "\n")
        let expiration = expiring ? ", \"Expiration\": \"%s\"" : ""
        let expirationArgument = expiring ? #" "$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)""# : ""
        let text = """
        #!/bin/sh
        here=$(dirname "$0")
        printf '%s\\n' "$@" > "$here/args"
        n=$(cat "$here/count" 2>/dev/null || echo 0)
        echo $((n + 1)) > "$here/count"
        case $((n % \(keys.count))) in
        \(cases)
        esac
        printf '{"Version": 1, "AccessKeyId": "%s", "SecretAccessKey": "%s"\(expiration)}\\n' "$key" "$secret"\(expirationArgument)
        """
        let path = try home.write(text, to: "bin/get creds")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return path
    }

    private func home(process: String) throws -> ConfigurationTestHome {
        let home = try ConfigurationTestHome(config: configSection("default", [("credential_process", process)]))
        home.useMoto(moto)
        return home
    }

    func testTheProgramRunsWithoutAShellAndItsKeysSign() throws {
        let signer = try user()
        let scratch = try ConfigurationTestHome()
        let path = try script(in: scratch, keys: [signer.key], expiring: false)
        let pwned = scratch.root.appendingPathComponent("pwned").path
        let home = try home(process: #""\#(path)" 'two words' "$(touch \#(pwned))" `touch \#(pwned)` | touch \#(pwned)"#)
        let configuration = try home.credentialResolver().resolve()

        XCTAssertEqual(configuration.credentials.source, .credentialProcess(profile: "default"))
        XCTAssertNil(configuration.refreshing, "no Expiration: long-term keys")
        XCTAssertTrue(try moto.callerArn(configuration).hasSuffix(":user/\(signer.name)"))
        let arguments = try String(contentsOfFile: scratch.root.appendingPathComponent("bin/args").path, encoding: .utf8)
        XCTAssertEqual(arguments.split(separator: "\n").map(String.init),
                       ["two words", "$(touch \(pwned))", "`touch", "\(pwned)`", "|", "touch", pwned])
        XCTAssertFalse(FileManager.default.fileExists(atPath: pwned), "nothing was interpreted by a shell")
    }

    func testExpiringCredentialsAreFetchedAgainAndTheNextCallUsesTheNewKey() throws {
        let first = try user(), second = try user()
        let scratch = try ConfigurationTestHome()
        let path = try script(in: scratch, keys: [first.key, second.key], expiring: true)
        let home = try home(process: "'\(path)'")
        let clock = TestClock()
        let configuration = try home.credentialResolver(clock: clock).resolve()

        XCTAssertEqual(configuration.credentials.expiration?.timeIntervalSinceNow ?? 0, 3600, accuracy: 60)
        XCTAssertTrue(try moto.callerArn(configuration).hasSuffix(":user/\(first.name)"))
        clock.advance(minutes: 30)
        XCTAssertTrue(try moto.callerArn(configuration).hasSuffix(":user/\(first.name)"), "half an hour left: not run again")
        clock.advance(minutes: 20)
        XCTAssertTrue(try moto.callerArn(configuration).hasSuffix(":user/\(second.name)"), "10 minutes left: run again, new key")
        let runs = try String(contentsOfFile: scratch.root.appendingPathComponent("bin/count").path, encoding: .utf8)
        XCTAssertEqual(runs.trimmingCharacters(in: .whitespacesAndNewlines), "2")
    }

    func testAFailingProgramOrABadDocumentIsOneSentence() throws {
        let scratch = try ConfigurationTestHome()
        func program(_ body: String) throws -> String {
            let path = try scratch.write("#!/bin/sh\n\(body)\n", to: "bin/p-\(UUID().uuidString)")
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
            return path
        }
        func message(_ command: String) throws -> String {
            let home = try home(process: command)
            do {
                _ = try home.credentialResolver().credentials()
                return "no error"
            } catch {
                XCTAssertTrue(error is AWSConfigurationError)
                XCTAssertFalse("\(error)".contains("\n"), "\(error)")
                return "\(error)"
            }
        }
        let failing = try program("echo 'token expired, run vault login' >&2\nexit 3")
        XCTAssertEqual(try message(failing), "No AWS credentials from the credential_process of profile default: \(failing) exited with status 3: "
                       + "token expired, run vault login; run it yourself to see why.")
        XCTAssertTrue(try message(try program(#"echo '{"AccessKeyId": "A", "SecretAccessKey": "S"}'"#))
            .contains("its output has no \"Version\": 1"))
        XCTAssertTrue(try message(try program(#"echo '{"Version": 1, "SecretAccessKey": "S"}'"#)).contains("its output has no AccessKeyId"))
        XCTAssertTrue(try message(try program("echo not json")).contains("did not print a JSON object"))
        XCTAssertTrue(try message("no-such-program-here --flag").contains("the program no-such-program-here was not found"))
        XCTAssertTrue(try message("'unclosed quote").contains("has a quote that is never closed"))
    }

    func testCommandLinesSplitAsTheAWSCLISplitsThem() throws {
        XCTAssertEqual(try ShellWords.split(#"aws-vault exec  ada --json"#), ["aws-vault", "exec", "ada", "--json"])
        XCTAssertEqual(try ShellWords.split(#"'/opt/my tools/creds' "a \"quoted\" word" back\ slash"#),
                       ["/opt/my tools/creds", #"a "quoted" word"#, "back slash"])
        XCTAssertEqual(try ShellWords.split(#"a "" '' b"#), ["a", "", "", "b"])
        XCTAssertEqual(try ShellWords.split(#""keep \n and \$ as typed""#), [#"keep \n and \$ as typed"#])
        XCTAssertEqual(try ShellWords.split("$HOME/bin/x *.json ~"), ["$HOME/bin/x", "*.json", "~"], "no expansion")
        XCTAssertThrowsError(try ShellWords.split("trailing\\"))
        XCTAssertThrowsError(try ShellWords.split("\"open"))
    }
}
