import Foundation
import XCTest

/// One case of AWS's SigV4 test suite: the raw request parsed, and the expected outputs.
struct SigV4TestSuiteCase {
    /// Path of the case below the suite folder, e.g. `normalize-path/get-space`.
    var name: String
    var method: String
    /// The request target exactly as written in the request line (may hold raw spaces and UTF-8).
    var target: String
    /// Parsed headers. A folded (continuation) line becomes one more value of the header it
    /// continues, which is how the suite expects it to be canonicalized (`value1,value2`).
    var headers: [(name: String, value: String)]
    var body: String?
    /// The request line and header lines exactly as in the `.req` file.
    var rawRequestLine: String
    var rawHeaderLines: [String]

    var expectedCanonicalRequest: String
    var expectedStringToSign: String
    var expectedAuthorization: String
    var expectedSignedRequest: String

    /// Fixed inputs the suite shares across all cases.
    static let credentials = (accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    static let region = "us-east-1"
    static let service = "service"
    static var date: Date {
        ISO8601DateFormatter().date(from: "2015-08-30T12:36:00Z")!
    }

    var url: String {
        let host = headers.first { $0.name.lowercased() == "host" }?.value ?? "example.amazonaws.com"
        return "https://\(host)\(target)"
    }

    var payloadSHA256Hex: String { SHA256Hash.hex(of: Data((body ?? "").utf8)) }

    struct ParseError: Error, CustomStringConvertible {
        var description: String
    }

    init(directory: URL, name: String) throws {
        let base = directory.lastPathComponent
        func read(_ suffix: String) throws -> String {
            let file = directory.appendingPathComponent("\(base).\(suffix)")
            guard let data = FileManager.default.contents(atPath: file.path) else {
                throw ParseError(description: "missing \(file.path)")
            }
            return String(decoding: data, as: UTF8.self)
        }
        self.name = name
        expectedCanonicalRequest = try read("creq")
        expectedStringToSign = try read("sts")
        expectedAuthorization = try read("authz")
        expectedSignedRequest = try read("sreq")

        // The files have no trailing newline; lines are separated by "\n".
        let request = try read("req")
        var lines = request.components(separatedBy: "\n")
        rawRequestLine = lines.removeFirst()
        guard let firstSpace = rawRequestLine.firstIndex(of: " "),
              let versionStart = rawRequestLine.range(of: " HTTP/1.1", options: .backwards) else {
            throw ParseError(description: "\(name): cannot parse request line \(rawRequestLine)")
        }
        method = String(rawRequestLine[..<firstSpace])
        target = String(rawRequestLine[rawRequestLine.index(after: firstSpace)..<versionStart.lowerBound])

        headers = []
        rawHeaderLines = []
        body = nil
        while !lines.isEmpty {
            let line = lines.removeFirst()
            if line.isEmpty {
                body = lines.joined(separator: "\n")
                break
            }
            rawHeaderLines.append(line)
            if line.first == " " || line.first == "\t" {
                guard let previous = headers.last else {
                    throw ParseError(description: "\(name): continuation line before any header")
                }
                headers.append((name: previous.name, value: line))
            } else if let colon = line.firstIndex(of: ":") {
                headers.append((name: String(line[..<colon]), value: String(line[line.index(after: colon)...])))
            } else {
                throw ParseError(description: "\(name): cannot parse header line \(line)")
            }
        }
    }

    /// Renders a signed request the way the suite writes `.sreq` files: the original request
    /// line and header lines unchanged, then each header the signing added, then the body.
    /// The suite writes added headers as `Name:value`, except `Authorization`, which has a
    /// space after the colon.
    func render(signedHeaders: [(name: String, value: String)]) -> String {
        let added = signedHeaders.dropFirst(headers.count).map { header in
            header.name == "Authorization" ? "\(header.name): \(header.value)" : "\(header.name):\(header.value)"
        }
        var text = ([rawRequestLine] + rawHeaderLines + added).joined(separator: "\n")
        if let body { text += "\n\n" + body }
        return text
    }

    /// Finds every case below `root` (a folder holding `<name>.req` is a case).
    static func all(in root: URL) throws -> [SigV4TestSuiteCase] {
        guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else {
            throw ParseError(description: "cannot list \(root.path)")
        }
        var cases: [SigV4TestSuiteCase] = []
        for case let url as URL in enumerator where url.pathExtension == "req" {
            let directory = url.deletingLastPathComponent()
            guard url.deletingPathExtension().lastPathComponent == directory.lastPathComponent else { continue }
            let name = String(directory.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1))
            cases.append(try SigV4TestSuiteCase(directory: directory, name: name))
        }
        return cases.sorted { $0.name < $1.name }
    }

    /// The session token given in `post-sts-token/readme.txt` (the last non-empty line).
    static func sessionToken(in root: URL) throws -> String {
        let readme = root.appendingPathComponent("post-sts-token/readme.txt")
        guard let data = FileManager.default.contents(atPath: readme.path) else {
            throw ParseError(description: "missing \(readme.path)")
        }
        let lines = String(decoding: data, as: UTF8.self).components(separatedBy: .newlines)
        guard let token = lines.last(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else {
            throw ParseError(description: "no token in \(readme.path)")
        }
        return token.trimmingCharacters(in: .whitespaces)
    }

    /// The suite folder: `$NCAAS_SIGV4_VECTORS`, else `../shared/vectors/aws-sig-v4-test-suite`
    /// next to the repository (where CI places shared/).
    static func locateSuite(filePath: String = #filePath) -> URL {
        if let override = ProcessInfo.processInfo.environment["NCAAS_SIGV4_VECTORS"], !override.isEmpty {
            return URL(fileURLWithPath: override)
        }
        let repositoryRoot = URL(fileURLWithPath: filePath)
            .deletingLastPathComponent()   // SigV4Tests
            .deletingLastPathComponent()   // Tests
            .deletingLastPathComponent()   // repository root
        return repositoryRoot.appendingPathComponent("../shared/vectors/aws-sig-v4-test-suite").standardizedFileURL
    }
}
