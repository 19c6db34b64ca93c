import Foundation

/// A profile's `credential_process`: the command line is split into words as the AWS CLI
/// splits it (`ShellWords`) and the program run directly, never through a shell; it inherits
/// the terminal (it may ask its user something) and must print a JSON document with
/// `Version` 1, `AccessKeyId`, `SecretAccessKey` and optionally `SessionToken` and
/// `Expiration` (then it is run again before they expire).
struct ProcessCredentialProvider: CredentialProvider {
    let command: String
    let profile: String
    let environment: ConfigurationEnvironment
    let clock: @Sendable () -> Date

    var source: ConfigurationSource { .credentialProcess(profile: profile) }

    func fetch() throws -> ResolvedCredentials {
        let words: [String]
        do {
            words = try ShellWords.split(command)
        } catch ShellWords.Problem.unclosedQuote {
            throw failed("its command line has a quote that is never closed", fix: "close the quote in credential_process")
        } catch {
            throw failed("its command line ends in a lone backslash", fix: "remove it from credential_process")
        }
        guard let program = words.first else { throw failed("its command line is empty", fix: "set credential_process to a program") }
        guard let executable = Self.locate(program, path: environment.variables["PATH"] ?? ProcessInfo.processInfo.environment["PATH"]) else {
            throw failed("the program \(program) was not found", fix: "give its full path in credential_process")
        }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = Array(words.dropFirst())
        process.environment = ProcessInfo.processInfo.environment.merging(environment.variables) { _, injected in injected }
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw failed("\(program) could not be started", fix: "check that it is an executable program")
        }
        // Both pipes are drained at once, so a chatty program never blocks on a full pipe.
        let errorText = LockedData()
        let errorsRead = DispatchSemaphore(value: 0)
        Thread {
            errorText.set(errors.fileHandleForReading.readDataToEndOfFile())
            errorsRead.signal()
        }.start()
        let stdout = output.fileHandleForReading.readDataToEndOfFile()
        errorsRead.wait()
        process.waitUntilExit()

        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let said = String(decoding: errorText.value.prefix(300), as: UTF8.self)
                .split(whereSeparator: \.isNewline).first.map { ": \($0)" } ?? ""
            throw failed("\(program) exited with status \(process.terminationStatus)\(said)", fix: "run it yourself to see why")
        }
        guard let object = (try? JSONSerialization.jsonObject(with: stdout)) as? [String: Any] else {
            throw failed("\(program) did not print a JSON object", fix: "make it print the credentials document")
        }
        guard (object["Version"] as? Int) == 1 else {
            throw failed("its output has no \"Version\": 1 (the only version there is)", fix: "make the program print \"Version\": 1")
        }
        return try CredentialDocument.parse(stdout, source: source) { reason in
            failed(reason.replacingOccurrences(of: "its answer", with: "its output"), fix: "fix the document the program prints")
        }
    }

    private func failed(_ reason: String, fix: String) -> AWSConfigurationError {
        .credentialSourceFailed(source: source.description, reason: reason, fix: fix)
    }

    /// The program's path: as given when it contains a slash, else the first executable of
    /// that name on `path` (as `execvp` looks it up).
    static func locate(_ program: String, path: String?) -> String? {
        if program.contains("/") { return FileManager.default.isExecutableFile(atPath: program) ? program : nil }
        for directory in (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") where !directory.isEmpty {
            let candidate = "\(directory)/\(program)"
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue,
               FileManager.default.isExecutableFile(atPath: candidate) {
                return candidate
            }
        }
        return nil
    }
}

/// Bytes handed from a reader thread.
private final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data: Data?

    func set(_ value: Data) { lock.withLock { data = value } }
    var value: Data { lock.withLock { data ?? Data() } }
}
