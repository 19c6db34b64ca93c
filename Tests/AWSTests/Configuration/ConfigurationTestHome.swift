import AWS
import Foundation
import XCTest

/// A throwaway home directory with real `~/.aws/credentials` and `~/.aws/config` files, and
/// an environment that points at it. Removed when the test ends.
final class ConfigurationTestHome {
    let root: URL
    var variables: [String: String] = [:]

    init(credentials: String? = nil, config: String? = nil, file: StaticString = #filePath, line: UInt = #line) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("ncaas-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent(".aws"), withIntermediateDirectories: true)
        if let credentials { try write(credentials, to: ".aws/credentials") }
        if let config { try write(config, to: ".aws/config") }
    }

    deinit {
        try? FileManager.default.removeItem(at: root)
    }

    var credentialsPath: String { root.appendingPathComponent(".aws/credentials").path }
    var configPath: String { root.appendingPathComponent(".aws/config").path }

    /// Writes a file below the home directory and returns its path.
    @discardableResult
    func write(_ text: String, to relativePath: String) throws -> String {
        let url = root.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    var environment: ConfigurationEnvironment {
        ConfigurationEnvironment(variables: variables, homeDirectory: root.path)
    }

    func resolver(_ overrides: ConfigurationOverrides = ConfigurationOverrides(),
                  instanceMetadataTransport: (any HTTPTransport)? = nil) throws -> AWSConfigurationResolver {
        try AWSConfigurationResolver(environment: environment, overrides: overrides,
                                     instanceMetadataTransport: instanceMetadataTransport)
    }
}

/// Asserts that `body` throws exactly `expected`, and that its message is one sentence.
func XCTAssertConfigurationError<T>(_ body: @autoclosure () throws -> T, _ expected: AWSConfigurationError,
                                    file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertThrowsError(try body(), file: file, line: line) { error in
        XCTAssertEqual(error as? AWSConfigurationError, expected, file: file, line: line)
        let message = "\(error)"
        XCTAssertTrue(message.hasSuffix("."), "not a sentence: \(message)", file: file, line: line)
        XCTAssertFalse(message.contains("\n"), "more than one line: \(message)", file: file, line: line)
    }
}
