import Curl
import Foundation
import XCTest

/// libcurl through the `Curl` wrapper against a real local HTTP server.
final class CurlTests: XCTestCase {
    private var server: CurlTestServer!
    private var scratch: URL!

    override func setUpWithError() throws {
        server = try CurlTestServer()
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("ncaas-curl-scratch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDown() {
        server.stop()
        try? FileManager.default.removeItem(at: scratch)
    }

    private func randomBytes(_ count: Int) -> Data {
        var generator = SystemRandomNumberGenerator()
        var data = Data(capacity: count + 8)
        while data.count < count {
            withUnsafeBytes(of: generator.next() as UInt64) { data.append(contentsOf: $0) }
        }
        return data.prefix(count)
    }

    func testGetIntoMemoryReturnsStatusHeadersAndBody() throws {
        let content = Data("hello from the file server, ünïcode included\n".utf8)
        try content.write(to: server.directory.appendingPathComponent("greeting.txt"))

        let response = try CurlEasy().perform(CurlRequest(method: "GET", url: "\(server.baseURL)/greeting.txt"))

        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.body, content)
        XCTAssertEqual(response.header("content-length"), String(content.count))
        XCTAssertEqual(response.header("Content-Type"), "application/octet-stream")
    }

    func testMissingFileIsAnHTTPStatusNotAnError() throws {
        let response = try CurlEasy().perform(CurlRequest(method: "GET", url: "\(server.baseURL)/absent"))
        XCTAssertEqual(response.status, 404)
        XCTAssertEqual(String(decoding: response.body, as: UTF8.self), "no such file")
    }

    func testDownloadToFileIsByteIdentical() throws {
        let content = randomBytes(3 * 1024 * 1024 + 17)
        try content.write(to: server.directory.appendingPathComponent("blob.bin"))
        let destination = scratch.appendingPathComponent("downloaded.bin")

        let response = try CurlEasy().perform(CurlRequest(
            method: "GET", url: "\(server.baseURL)/blob.bin", sink: .file(path: destination.path)))

        XCTAssertEqual(response.status, 200)
        XCTAssertTrue(response.body.isEmpty, "a streamed body is not also kept in memory")
        XCTAssertEqual(try Data(contentsOf: destination), content)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: scratch.path), ["downloaded.bin"],
                       "no temporary file is left behind")
    }

    func testErrorStatusLeavesTheDestinationFileAlone() throws {
        let destination = scratch.appendingPathComponent("kept.txt")
        try Data("previous".utf8).write(to: destination)

        let response = try CurlEasy().perform(CurlRequest(
            method: "GET", url: "\(server.baseURL)/absent", sink: .file(path: destination.path)))

        XCTAssertEqual(response.status, 404)
        XCTAssertEqual(String(decoding: response.body, as: UTF8.self), "no such file")
        XCTAssertEqual(try String(contentsOf: destination, encoding: .utf8), "previous")
    }

    func testUploadFromFileSendsExactlyTheSlice() throws {
        let content = randomBytes(2 * 1024 * 1024)
        let source = scratch.appendingPathComponent("source.bin")
        try content.write(to: source)
        let offset = 1000, length = 1_500_000
        let slice = content.subdata(in: offset..<(offset + length))

        let response = try CurlEasy().perform(CurlRequest(
            method: "PUT", url: "\(server.baseURL)/part.bin",
            body: .file(path: source.path, offset: UInt64(offset), length: UInt64(length))))

        XCTAssertEqual(response.status, 200)
        let stored = try Data(contentsOf: server.directory.appendingPathComponent("part.bin"))
        XCTAssertEqual(stored, slice)
        let reply = try JSONSerialization.jsonObject(with: response.body) as? [String: Any]
        XCTAssertEqual(reply?["bytes"] as? Int, length)
    }

    func testPostFromMemorySendsHeadersAsGivenAndNoExpect() throws {
        let body = Data("Action=ListUsers&Version=2010-05-08&Name=caf%C3%A9".utf8)
        let response = try CurlEasy().perform(CurlRequest(
            method: "POST", url: "\(server.baseURL)/echo",
            headers: [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"), ("X-Amz-Date", "20261122T000000Z")],
            body: .bytes(body)))

        XCTAssertEqual(response.status, 200)
        let reply = try XCTUnwrap(JSONSerialization.jsonObject(with: response.body) as? [String: Any])
        XCTAssertEqual(reply["bytes"] as? Int, body.count)
        let headers = (reply["headers"] as? [[String]] ?? []).map { ($0[0].lowercased(), $0[1]) }
        XCTAssertTrue(headers.contains { $0 == ("x-amz-date", "20261122T000000Z") })
        XCTAssertTrue(headers.contains { $0 == ("content-type", "application/x-www-form-urlencoded; charset=utf-8") })
        XCTAssertFalse(headers.contains { $0.0 == "expect" })
    }

    func testPostWithoutContentTypeSendsNoneAndEmptyBodyHasLengthZero() throws {
        let response = try CurlEasy().perform(CurlRequest(method: "POST", url: "\(server.baseURL)/echo"))
        let reply = try XCTUnwrap(JSONSerialization.jsonObject(with: response.body) as? [String: Any])
        let headers = (reply["headers"] as? [[String]] ?? []).map { ($0[0].lowercased(), $0[1]) }
        XCTAssertFalse(headers.contains { $0.0 == "content-type" })
        XCTAssertTrue(headers.contains { $0 == ("content-length", "0") })
    }

    func testDeleteAndHeadUseTheirMethods() throws {
        let easy = try CurlEasy()
        let deleted = try easy.perform(CurlRequest(method: "DELETE", url: "\(server.baseURL)/echo"))
        XCTAssertEqual((try JSONSerialization.jsonObject(with: deleted.body) as? [String: Any])?["method"] as? String, "DELETE")

        try Data(repeating: 7, count: 1234).write(to: server.directory.appendingPathComponent("h.bin"))
        let head = try easy.perform(CurlRequest(method: "HEAD", url: "\(server.baseURL)/h.bin"))
        XCTAssertEqual(head.status, 200)
        XCTAssertEqual(head.header("Content-Length"), "1234")
        XCTAssertTrue(head.body.isEmpty)
    }

    func testRedirectsAreReturnedNotFollowed() throws {
        let response = try CurlEasy().perform(CurlRequest(method: "GET", url: "\(server.baseURL)/redirect"))
        XCTAssertEqual(response.status, 302)
        XCTAssertEqual(response.header("Location"), "/a")
    }

    func testOnlyTheFinalResponseHeadersAreKeptAfter100Continue() throws {
        let response = try CurlEasy().perform(CurlRequest(method: "GET", url: "\(server.baseURL)/continue"))
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.header("X-Final"), "yes")
        XCTAssertNil(response.header("X-Interim"), "the 100 response's headers are dropped")
        XCTAssertEqual(String(decoding: response.body, as: UTF8.self), "after continue")
        XCTAssertEqual(response.headers.filter { $0.name.lowercased() == "content-length" }.count, 1)
    }

    func testOneHandleServesManyRequests() throws {
        let easy = try CurlEasy()
        for index in 0..<5 {
            try Data("file \(index)".utf8).write(to: server.directory.appendingPathComponent("f\(index)"))
            let response = try easy.perform(CurlRequest(method: "GET", url: "\(server.baseURL)/f\(index)"))
            XCTAssertEqual(String(decoding: response.body, as: UTF8.self), "file \(index)")
        }
    }

    func testConnectionRefusedCarriesCurlsMessage() throws {
        let url = "\(server.baseURL)/anything?X-Amz-Signature=secret"
        server.stop()   // nothing listens on the port any more

        XCTAssertThrowsError(try CurlEasy().perform(CurlRequest(method: "GET", url: url))) { error in
            guard let error = error as? CurlError else { return XCTFail("expected CurlError, got \(error)") }
            XCTAssertEqual(error.code, .couldntConnect)
            XCTAssertEqual(error.message, "Couldn't connect to server")
            XCTAssertTrue(error.detail.contains("127.0.0.1"), error.detail)
            XCTAssertTrue(error.detail.contains("\(server.port)"), error.detail)
            XCTAssertFalse(error.description.contains("secret"), "the query string is not repeated in messages")
        }
    }

    func testMissingUploadFileIsALocalReadError() throws {
        let missing = scratch.appendingPathComponent("missing.bin").path
        XCTAssertThrowsError(try CurlEasy().perform(CurlRequest(
            method: "PUT", url: "\(server.baseURL)/x", body: .file(path: missing, offset: 0, length: 10)))) { error in
            guard let error = error as? CurlError else { return XCTFail("expected CurlError, got \(error)") }
            XCTAssertEqual(error.code, .readError)
            XCTAssertTrue(error.detail.contains(missing), error.detail)
            XCTAssertTrue(error.detail.contains("No such file"), error.detail)
        }
    }

    func testSliceBeyondTheEndOfTheFileIsRefused() throws {
        let source = scratch.appendingPathComponent("short.bin")
        try Data(count: 100).write(to: source)
        XCTAssertThrowsError(try CurlEasy().perform(CurlRequest(
            method: "PUT", url: "\(server.baseURL)/x", body: .file(path: source.path, offset: 50, length: 51)))) { error in
            XCTAssertEqual((error as? CurlError)?.code, .readError)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: server.directory.appendingPathComponent("x").path))
    }

    func testUnwritableDestinationIsALocalWriteError() throws {
        try Data("x".utf8).write(to: server.directory.appendingPathComponent("small"))
        let destination = scratch.appendingPathComponent("no/such/dir/out").path
        XCTAssertThrowsError(try CurlEasy().perform(CurlRequest(
            method: "GET", url: "\(server.baseURL)/small", sink: .file(path: destination)))) { error in
            guard let error = error as? CurlError else { return XCTFail("expected CurlError, got \(error)") }
            XCTAssertEqual(error.code, .writeError)
            XCTAssertTrue(error.detail.contains("no/such/dir"), error.detail)
        }
    }

    func testHeaderWithALineBreakIsRefusedBeforeSending() throws {
        XCTAssertThrowsError(try CurlEasy().perform(CurlRequest(
            method: "POST", url: "\(server.baseURL)/echo", headers: [("X-Meta", "a\r\nX-Injected: yes")]))) { error in
            XCTAssertEqual((error as? CurlError)?.code, .badFunctionArgument)
        }
    }
}
