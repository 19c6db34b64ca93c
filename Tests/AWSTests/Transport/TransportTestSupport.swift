import AWS
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import TestSupport
import XCTest

/// One moto server shared by the transport and harness tests in this process (started on
/// first use; it exits with the test process, whose end closes its stdin).
enum SharedTransportMoto {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var started: Result<MotoServer, Error>?

    static func server() throws -> MotoServer {
        lock.lock()
        defer { lock.unlock() }
        if started == nil { started = Result { try MotoServer() } }
        return try started!.get()
    }
}

/// Requests the transport tests send by hand.
enum TransportTestRequests {
    /// An IAM ListUsers query whose SigV4 Authorization header has the right shape but a
    /// signature of zeros: it names `keyId` but cannot have been made with its secret.
    static func badlySignedListUsers(endpoint: String, keyId: String) -> HTTPRequest {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let stamp = formatter.string(from: Date())
        let scope = "\(stamp.prefix(8))/us-east-1/iam/aws4_request"
        return HTTPRequest(
            method: "GET",
            url: "\(endpoint)/?Action=ListUsers&Version=2010-05-08",
            headers: [
                ("X-Amz-Date", stamp),
                ("Authorization", "AWS4-HMAC-SHA256 Credential=\(keyId)/\(scope), SignedHeaders=host;x-amz-date, Signature=\(String(repeating: "0", count: 64))"),
            ]
        )
    }

    /// moto's own state dump: answered without authentication, a body of a few kilobytes.
    static func motoData(endpoint: String) -> HTTPRequest {
        HTTPRequest(method: "GET", url: "\(endpoint)/moto-api/data.json")
    }
}

/// Asserts that `body` throws a `TransportError` of `kind`, and returns it.
@discardableResult
func XCTAssertTransportError<T>(
    _ body: @autoclosure () throws -> T, kind: TransportError.Kind,
    file: StaticString = #filePath, line: UInt = #line
) -> TransportError? {
    do {
        let result = try body()
        XCTFail("expected TransportError.\(kind), got \(result)", file: file, line: line)
    } catch let error as TransportError {
        XCTAssertEqual(error.kind, kind, "message: \(error.message)", file: file, line: line)
        XCTAssertFalse(error.message.isEmpty, file: file, line: line)
        return error
    } catch {
        XCTFail("expected TransportError.\(kind), got \(error)", file: file, line: line)
    }
    return nil
}

/// The text of an XML error reply's `<Code>` element, parsed with XMLParser.
func errorCode(inXML data: Data) -> String? {
    final class CodeFinder: NSObject, XMLParserDelegate {
        var inCode = false
        var code: String?
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            inCode = name == "Code" && code == nil
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if inCode { code = (code ?? "") + string }
        }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            inCode = false
        }
    }
    let finder = CodeFinder()
    let parser = XMLParser(data: data)
    parser.delegate = finder
    return parser.parse() ? finder.code : nil
}
