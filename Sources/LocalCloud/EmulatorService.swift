import Foundation
import Support
#if canImport(Glibc)
import Glibc
#endif

/// The running emulator as recorded in `moto.json`.
public struct MotoRecord: Codable, Sendable, Equatable {
    public var pid: Int32
    public var port: Int
    public var endpoint: String
    public var region: String
    public var startedAt: Date
    /// The port sshd answers on, on each instance's address.
    public var sshPort: Int?
    /// False for an account without a default VPC (`local up --no-default-vpc`).
    public var defaultVPC: Bool?
}

/// What the emulator says once it serves: its address, and the key of the user it made.
public struct EmulatorReady: Decodable, Sendable {
    public struct User: Decodable, Sendable {
        public var userName: String
        public var accessKeyId: String
        public var secretAccessKey: String
    }

    public var port: Int
    public var endpoint: String
    public var region: String
    public var sshPort: Int
    public var metadataPort: Int
    public var user: User
    /// Base alias → AMI id.
    public var aliases: [String: String]
}

/// The emulator (`python3 -m ncaas_emulator`: moto extended so that EC2 instances are real) as the
/// local cloud's AWS endpoint: started detached on loopback, its pid and port recorded, its output
/// in `moto.log`, its ready line in `emulator.json`.
public struct MotoService: Sendable {
    public static let defaultPort = 5000
    public static let region = "us-east-1"
    static let commandMarker = "ncaas_emulator"

    public var paths: LocalCloudPaths
    public var python: String

    public init(paths: LocalCloudPaths, python: String = ProcessInfo.processInfo.environment["PYTHON"] ?? "python3") {
        self.paths = paths
        self.python = python
    }

    /// The recorded server, if the record exists.
    public func record() -> MotoRecord? {
        guard let data = FileManager.default.contents(atPath: paths.motoState) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(MotoRecord.self, from: data)
    }

    /// The recorded server when its process is alive.
    public func running() -> MotoRecord? {
        guard let record = record(), DetachedProcess.isAlive(record.pid, commandContains: Self.commandMarker) else { return nil }
        return record
    }

    /// How to start the emulator.
    public struct Launch: Sendable {
        public var port: Int
        public var sshPort: Int
        /// The `local` user's policy document (JSON).
        public var policy: String
        public var defaultVPC: Bool
        public var baseImage: String
    }

    /// Starts the emulator on `launch.port` (which must be free) and waits until it says it serves.
    public func start(_ launch: Launch, timeout: TimeInterval = 60) throws -> (record: MotoRecord, ready: EmulatorReady) {
        try paths.create()
        guard Loopback.isFree(launch.port) else {
            throw LocalCloudError(.unavailable, "Port \(launch.port) on 127.0.0.1 is already in use; choose another with --port.")
        }
        let folder = try EmulatorFiles.folder()
        try AtomicFile.write(launch.policy, to: paths.localPolicy, mode: 0o600)
        // The ready line holds the local user's key: readable by this user only.
        try? FileManager.default.removeItem(atPath: paths.emulatorReady)
        guard FileManager.default.createFile(atPath: paths.emulatorReady, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw LocalCloudError(.failed, "Could not create \(paths.emulatorReady).")
        }
        let arguments = ["-m", "ncaas_emulator", "--host", "127.0.0.1", "--port", String(launch.port), "--region", Self.region,
                         "--state-folder", paths.emulatorState, "--base-image", launch.baseImage,
                         "--podman-options", paths.podmanOptions, "--ssh-port", String(launch.sshPort),
                         "--user", "ncaas-local", "--policy-file", paths.localPolicy] + (launch.defaultVPC ? [] : ["--no-default-vpc"])
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONPATH"] = folder + (environment["PYTHONPATH"].map { ":" + $0 } ?? "")
        environment["PYTHONDONTWRITEBYTECODE"] = "1"
        appendLog("--- ncaas local up: \(python) -m ncaas_emulator on 127.0.0.1:\(launch.port) at \(ISO8601DateFormatter().string(from: Date())) ---\n")
        let logStart = (try? FileManager.default.attributesOfItem(atPath: paths.motoLog)[.size] as? NSNumber)?.intValue ?? 0
        let pid = try Spawn.start(python, arguments, stdoutPath: paths.emulatorReady, stderrPath: paths.motoLog, appendOutput: true,
                                  newSession: true, environment: environment)
        let deadline = Date().addingTimeInterval(timeout)
        var delay = 0.05
        while Date() < deadline {
            if let ready = readyLine() {
                let record = MotoRecord(pid: pid, port: ready.port, endpoint: ready.endpoint, region: ready.region, startedAt: Date(),
                                        sshPort: ready.sshPort, defaultVPC: launch.defaultVPC)
                let encoder = JSONEncoder()
                encoder.dateEncodingStrategy = .iso8601
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                try AtomicFile.write(try encoder.encode(record), to: paths.motoState)
                return (record, ready)
            }
            if DetachedProcess.hasExited(pid) { throw startFailure(logFrom: logStart, port: launch.port) }
            Thread.sleep(forTimeInterval: delay)
            delay = min(delay * 1.5, 0.3)
        }
        DetachedProcess.stop(pid, commandContains: Self.commandMarker)
        throw LocalCloudError(.failed, "The local cloud's endpoint did not start within \(Int(timeout)) seconds (log: \(paths.motoLog)).")
    }

    func readyLine() -> EmulatorReady? {
        guard let data = FileManager.default.contents(atPath: paths.emulatorReady),
              let line = String(data: data, encoding: .utf8)?.split(separator: "\n").first, data.last == UInt8(ascii: "\n") else { return nil }
        return try? JSONDecoder().decode(EmulatorReady.self, from: Data(line.utf8))
    }

    func appendLog(_ text: String) {
        if let handle = FileHandle(forWritingAtPath: paths.motoLog) {
            handle.seekToEndOfFile()
            handle.write(Data(text.utf8))
            try? handle.close()
        } else {
            _ = FileManager.default.createFile(atPath: paths.motoLog, contents: Data(text.utf8))
        }
    }

    /// Stops the recorded server (only if the recorded pid is still the emulator, which removes its
    /// instances' containers as it goes) and forgets it. Returns the record of what was stopped.
    @discardableResult
    public func stop() -> MotoRecord? {
        guard let record = record() else { return nil }
        DetachedProcess.stop(record.pid, commandContains: Self.commandMarker, grace: 30)
        try? FileManager.default.removeItem(atPath: paths.motoState)
        try? FileManager.default.removeItem(atPath: paths.emulatorReady)
        return record
    }

    /// One sentence for why the emulator exited right after starting, from what it wrote to its log.
    func startFailure(logFrom offset: Int, port: Int) -> LocalCloudError {
        let data = FileManager.default.contents(atPath: paths.motoLog) ?? Data()
        let text = String(decoding: data.dropFirst(min(offset, data.count)), as: UTF8.self)
        if text.contains("No module named moto") || text.contains("No module named 'moto") {
            return LocalCloudError(.missingTool, "moto is not installed for \(python) (No module named moto); run scripts/setup.")
        }
        if text.contains("No module named") {
            let line = text.split(separator: "\n").last { $0.contains("No module named") }.map(String.init) ?? ""
            return LocalCloudError(.missingTool, "The local cloud's endpoint cannot start: \(line.trimmingCharacters(in: .whitespaces)); run scripts/setup.")
        }
        if text.contains("Address already in use") {
            return LocalCloudError(.unavailable, "Port \(port) on 127.0.0.1 is already in use; choose another with --port.")
        }
        let last = text.split(separator: "\n").last.map(String.init) ?? "no output"
        return LocalCloudError(.failed, "The local cloud's endpoint exited as soon as it started: \(last) (log: \(paths.motoLog)).")
    }
}
