import Foundation

/// The ncaas the in-stack job manager runs in tests: this repository's build with the Swift runtime
/// linked in (`swift build --product ncaas --static-swift-stdlib --scratch-path .build-static`, which
/// scripts/test runs), stripped into a temporary copy once per process to make uploads cheaper.
public enum ManagerBinary {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    private static let prepared: Result<String, Error> = Result(catching: { () throws -> String in
        let built = repositoryRoot.appendingPathComponent(".build-static/debug/ncaas").path
        guard FileManager.default.isExecutableFile(atPath: built) else {
            throw TestSupportError("\(built) is missing: build it with `swift build --product ncaas --static-swift-stdlib --scratch-path .build-static` (scripts/test does).")
        }
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("ncaas-manager-\(getpid())").path
        let stripped = try? ProcessRunner.run("strip", ["-o", copy, built], timeout: 120)
        return stripped?.succeeded == true ? copy : built
    })

    /// The path of the manager's ncaas.
    public static func path() throws -> String { try prepared.get() }
}
