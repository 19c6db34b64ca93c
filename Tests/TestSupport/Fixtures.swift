import Foundation

/// The helper scripts in `Tests/Fixtures/`, found relative to this source file.
public enum Fixtures {
    /// `Tests/Fixtures/`.
    public static let directory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()   // TestSupport
        .deletingLastPathComponent()   // Tests
        .appendingPathComponent("Fixtures")

    /// The absolute path of `Tests/Fixtures/<name>`.
    public static func path(_ name: String) -> String {
        directory.appendingPathComponent(name).path
    }
}
