import Foundation

/// Where the emulator's Python package (`ncaas_emulator`, the local cloud's AWS endpoint) is: a
/// resource of this module, copied beside the ncaas executable by the build (or named by
/// `NCAAS_EMULATOR_DIR`, for an installed ncaas whose resources live elsewhere).
public enum EmulatorFiles {
    public static let variable = "NCAAS_EMULATOR_DIR"
    static let package = "ncaas_emulator"
    static let bundleName = "ncaas_LocalCloud.resources"

    /// The folder holding `ncaas_emulator/` (what goes on PYTHONPATH).
    /// - Throws: one sentence when it cannot be found.
    public static func folder(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        var candidates: [String] = []
        if let configured = environment[variable], !configured.isEmpty { candidates.append(configured) }
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath().deletingLastPathComponent()
        let running = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? executable.path)
            .deletingLastPathComponent()
        for base in [running, executable] {
            candidates.append(base.appendingPathComponent(bundleName).appendingPathComponent("Emulator").path)
            candidates.append(base.appendingPathComponent("../share/ncaas/Emulator").standardizedFileURL.path)
        }
        // Running from the source tree (tests, `swift run`): this file's own folder.
        candidates.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Emulator").path)
        for candidate in candidates where FileManager.default.fileExists(atPath: candidate + "/\(package)/__main__.py") {
            return candidate
        }
        throw LocalCloudError(.missingTool, "The local cloud's emulator (\(package)) is not beside ncaas (looked in \(candidates.first ?? "")); rebuild with `swift build`, or set \(variable) to the folder that holds \(package)/.")
    }
}
