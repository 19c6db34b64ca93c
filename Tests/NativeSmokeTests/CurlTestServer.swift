import Foundation

/// `Tests/Fixtures/http_file_server.py` on an ephemeral loopback port, serving `directory`.
/// (NativeSmokeTests does not depend on TestSupport, so this is a minimal launcher.)
final class CurlTestServer {
    let directory: URL
    let port: Int
    var baseURL: String { "http://127.0.0.1:\(port)" }
    private let process = Process()
    private let stdinPipe = Pipe()

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("ncaas-curl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/http_file_server.py").path
        let stdoutPipe = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-u", script, "--dir", directory.path]
        process.standardInput = stdinPipe
        process.standardOutput = stdoutPipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The script prints one JSON line once it listens, or exits (EOF) on failure.
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = stdoutPipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        struct Ready: Decodable { let port: Int }
        guard let ready = try? JSONDecoder().decode(Ready.self, from: line) else {
            try? stdinPipe.fileHandleForWriting.close()
            try? FileManager.default.removeItem(at: directory)
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: "http_file_server.py did not start"])
        }
        port = ready.port
    }

    /// Stops the server (it exits when its stdin closes) and removes the directory.
    func stop() {
        try? stdinPipe.fileHandleForWriting.close()
        if process.isRunning { process.waitUntilExit() }
        try? FileManager.default.removeItem(at: directory)
    }

    deinit { stop() }
}
