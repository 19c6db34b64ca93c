import Foundation
import Support
#if canImport(Glibc)
import Glibc
#endif

/// The running moto server as recorded in `moto.json`.
public struct MotoRecord: Codable, Sendable, Equatable {
    public var pid: Int32
    public var port: Int
    public var endpoint: String
    public var region: String
    public var startedAt: Date
}

/// moto (`python3 -m moto.server`) as the local cloud's AWS endpoint: started detached on
/// loopback, its pid and port recorded, its output in `moto.log`.
public struct MotoService: Sendable {
    public static let defaultPort = 5000
    public static let region = "us-east-1"
    static let commandMarker = "moto.server"

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

    /// Starts moto on `port` (which must be free) and waits until it accepts connections.
    public func start(port: Int, timeout: TimeInterval = 60) throws -> MotoRecord {
        try paths.create()
        guard Loopback.isFree(port) else {
            throw LocalCloudError(.unavailable, "Port \(port) on 127.0.0.1 is already in use; choose another with --port.")
        }
        let logHeader = "--- ncaas local up: \(python) -m moto.server -H 127.0.0.1 -p \(port) at \(ISO8601DateFormatter().string(from: Date())) ---\n"
        if let handle = FileHandle(forWritingAtPath: paths.motoLog) {
            handle.seekToEndOfFile()
            handle.write(Data(logHeader.utf8))
            try? handle.close()
        } else {
            _ = FileManager.default.createFile(atPath: paths.motoLog, contents: Data(logHeader.utf8))
        }
        let logStart = (try? FileManager.default.attributesOfItem(atPath: paths.motoLog)[.size] as? NSNumber)?.intValue ?? 0
        let pid = try DetachedProcess.spawn(python, ["-m", "moto.server", "-H", "127.0.0.1", "-p", String(port)], logPath: paths.motoLog)
        let deadline = Date().addingTimeInterval(timeout)
        var delay = 0.05
        while Date() < deadline {
            if Loopback.accepts(port: port) { break }
            if DetachedProcess.hasExited(pid) {
                throw startFailure(logFrom: logStart, port: port)
            }
            Thread.sleep(forTimeInterval: delay)
            delay = min(delay * 1.5, 0.3)
        }
        guard Loopback.accepts(port: port) else {
            DetachedProcess.stop(pid, commandContains: Self.commandMarker)
            throw LocalCloudError(.failed, "moto did not answer on port \(port) within \(Int(timeout)) seconds (log: \(paths.motoLog)).")
        }
        let record = MotoRecord(pid: pid, port: port, endpoint: "http://127.0.0.1:\(port)", region: Self.region, startedAt: Date())
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(record), to: paths.motoState)
        return record
    }

    /// Stops the recorded server (only if the recorded pid is still moto) and forgets it.
    /// Returns the record of what was stopped.
    @discardableResult
    public func stop() -> MotoRecord? {
        guard let record = record() else { return nil }
        DetachedProcess.stop(record.pid, commandContains: Self.commandMarker)
        try? FileManager.default.removeItem(atPath: paths.motoState)
        return record
    }

    /// One sentence for why moto exited right after starting, from what it wrote to its log.
    func startFailure(logFrom offset: Int, port: Int) -> LocalCloudError {
        let data = FileManager.default.contents(atPath: paths.motoLog) ?? Data()
        let text = String(decoding: data.dropFirst(min(offset, data.count)), as: UTF8.self)
        if text.contains("No module named moto") || text.contains("No module named 'moto") {
            return LocalCloudError(.missingTool, "moto is not installed for \(python) (No module named moto); run scripts/setup.")
        }
        if text.contains("No module named") {
            let line = text.split(separator: "\n").last { $0.contains("No module named") }.map(String.init) ?? ""
            return LocalCloudError(.missingTool, "moto's server cannot start: \(line.trimmingCharacters(in: .whitespaces)); run scripts/setup.")
        }
        if text.contains("Address already in use") {
            return LocalCloudError(.unavailable, "Port \(port) on 127.0.0.1 is already in use; choose another with --port.")
        }
        let last = text.split(separator: "\n").last.map(String.init) ?? "no output"
        return LocalCloudError(.failed, "moto exited as soon as it started: \(last) (log: \(paths.motoLog)).")
    }
}
