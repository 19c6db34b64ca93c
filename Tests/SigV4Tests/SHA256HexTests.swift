import Foundation
import SigV4
import XCTest

final class SHA256HexTests: XCTestCase {
    func testEmptyPayloadConstantIsTheHashOfNothing() {
        XCTAssertEqual(SHA256Hex.emptyPayload, SHA256Hash.hex(of: Data()))
        XCTAssertEqual(SHA256Hex.hash(Data()), SHA256Hex.emptyPayload)
    }

    func testFileIsHashedInChunksWithOffsetAndLength() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sha-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("data.bin")
        let bytes = Data((0..<100_003).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try bytes.write(to: file)

        XCTAssertEqual(try SHA256Hex.hashFile(atPath: file.path, chunkSize: 4096), SHA256Hash.hex(of: bytes))
        XCTAssertEqual(try SHA256Hex.hashFile(atPath: file.path, offset: 10, length: 50_000, chunkSize: 777),
                       SHA256Hash.hex(of: bytes.subdata(in: 10..<50_010)))
        XCTAssertEqual(try SHA256Hex.hashFile(atPath: file.path, offset: 100_003, length: 0), SHA256Hex.emptyPayload)
    }

    func testShortOrMissingFileIsAnError() throws {
        let missing = "/nonexistent/\(UUID().uuidString)"
        XCTAssertThrowsError(try SHA256Hex.hashFile(atPath: missing)) { error in
            XCTAssertTrue("\(error)".contains(missing))
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("short-\(UUID().uuidString)")
        try Data("abc".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        XCTAssertThrowsError(try SHA256Hex.hashFile(atPath: file.path, offset: 1, length: 10)) { error in
            XCTAssertTrue("\(error)".contains("ended 8 bytes before"), "\(error)")
        }
    }
}
