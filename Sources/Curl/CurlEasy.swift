import CCurl
import CShims
import Foundation

/// One libcurl easy handle, reused request after request so that connections stay open
/// within one command (`curl_easy_reset` keeps the connection cache). Not thread-safe: use
/// one `CurlEasy` per thread at a time.
public final class CurlEasy {
    private let handle: UnsafeMutableRawPointer
    /// CURLOPT_ERRORBUFFER: libcurl writes the details of a failure here.
    private let errorBuffer: UnsafeMutablePointer<CChar>

    /// Creates the handle (initialising libcurl on first use).
    public init() throws {
        try CurlGlobal.ensureInitialised()
        guard let handle = curl_easy_init() else {
            throw CurlError(code: .failedInit, message: CurlCode.failedInit.description, detail: "", operation: "curl_easy_init")
        }
        self.handle = handle
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    /// Sends one request and waits for the whole response. Does not follow redirects: a 3xx
    /// comes back as a response. Throws `CurlError` for anything below HTTP (connect, TLS,
    /// timeouts, dropped connections, local files); HTTP error statuses are responses.
    public func perform(_ request: CurlRequest) throws -> CurlResponse {
        let operation = "\(request.method) \(Self.withoutQuery(request.url))"
        curl_easy_reset(handle)
        errorBuffer[0] = 0
        try check(ncaas_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer), operation)

        let upload: UploadSource
        do {
            upload = try UploadSource(request.body)
        } catch let failure as LocalFileFailure {
            throw localFileError(failure, operation)
        }
        let collector = ResponseCollector(request.sink)

        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headerList) }
        for header in request.headers where Self.containsLineBreak(header.name) || Self.containsLineBreak(header.value) {
            throw CurlError(
                code: .badFunctionArgument, message: CurlCode.badFunctionArgument.description,
                detail: "header \(header.name.debugDescription) contains a line break", operation: operation)
        }
        for line in Self.headerLines(for: request) {
            guard let appended = curl_slist_append(headerList, line) else {
                throw CurlError(code: .outOfMemory, message: CurlCode.outOfMemory.description, detail: "", operation: operation)
            }
            headerList = appended
        }

        try setOptions(request, headerList: headerList, operation: operation)
        try setMethodAndBody(request.method, length: upload.length, operation: operation)

        let uploadContext = Unmanaged.passUnretained(upload).toOpaque()
        let collectorContext = Unmanaged.passUnretained(collector).toOpaque()
        try check(ncaas_curl_setopt_callback(handle, CURLOPT_READFUNCTION, curlReadCallback), operation)
        try check(ncaas_curl_setopt_pointer(handle, CURLOPT_READDATA, uploadContext), operation)
        try check(ncaas_curl_setopt_seek_callback(handle, curlSeekCallback), operation)
        try check(ncaas_curl_setopt_pointer(handle, CURLOPT_SEEKDATA, uploadContext), operation)
        try check(ncaas_curl_setopt_callback(handle, CURLOPT_WRITEFUNCTION, curlWriteCallback), operation)
        try check(ncaas_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, collectorContext), operation)
        try check(ncaas_curl_setopt_callback(handle, CURLOPT_HEADERFUNCTION, curlHeaderCallback), operation)
        try check(ncaas_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, collectorContext), operation)

        let code = withExtendedLifetime((upload, collector)) { curl_easy_perform(handle) }
        if let failure = upload.failure {
            throw localFileError(LocalFileFailure(code: .readError, reason: failure), operation)
        }
        if let failure = collector.failure {
            throw localFileError(LocalFileFailure(code: .writeError, reason: failure), operation)
        }
        try check(code, operation)

        var status = 0
        try check(ncaas_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status), operation)
        do {
            try collector.finish()
        } catch let failure as LocalFileFailure {
            throw localFileError(failure, operation)
        }
        return CurlResponse(status: status, headers: collector.headers, body: collector.body)
    }

    // MARK: - Options

    private func setOptions(_ request: CurlRequest, headerList: UnsafeMutablePointer<curl_slist>?, operation: String) throws {
        try check(ncaas_curl_setopt_string(handle, CURLOPT_URL, request.url), operation)
        // The path goes out byte for byte as given (and as it was signed): without this, libcurl
        // removes "." and ".." segments, so an S3 key "grp/../other/x" would reach "other/x".
        try check(ncaas_curl_setopt_long(handle, CURLOPT_PATH_AS_IS, 1), operation)
        try check(ncaas_curl_setopt_pointer(handle, CURLOPT_HTTPHEADER, headerList), operation)
        // Signals are not safe in a multithreaded process; timeouts work without them.
        try check(ncaas_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1), operation)
        try check(ncaas_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0), operation)
        try check(ncaas_curl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1), operation)
        try check(ncaas_curl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2), operation)
        try check(ncaas_curl_setopt_long(handle, CURLOPT_TCP_KEEPALIVE, 1), operation)
        let timeouts = request.timeouts
        try check(ncaas_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(timeouts.connect)), operation)
        try check(ncaas_curl_setopt_long(handle, CURLOPT_LOW_SPEED_LIMIT, timeouts.lowSpeedBytesPerSecond), operation)
        try check(ncaas_curl_setopt_long(handle, CURLOPT_LOW_SPEED_TIME, timeouts.lowSpeedSeconds), operation)
        try check(ncaas_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Self.milliseconds(timeouts.total)), operation)
    }

    private func setMethodAndBody(_ method: String, length: UInt64, operation: String) throws {
        let size = curl_off_t(length)
        switch method.uppercased() {
        case "GET" where length == 0:
            try check(ncaas_curl_setopt_long(handle, CURLOPT_HTTPGET, 1), operation)
        case "HEAD" where length == 0:
            try check(ncaas_curl_setopt_long(handle, CURLOPT_NOBODY, 1), operation)
        case "POST":
            try check(ncaas_curl_setopt_long(handle, CURLOPT_POST, 1), operation)
            try check(ncaas_curl_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, size), operation)
        case "PUT":
            try check(ncaas_curl_setopt_long(handle, CURLOPT_UPLOAD, 1), operation)
            try check(ncaas_curl_setopt_off_t(handle, CURLOPT_INFILESIZE_LARGE, size), operation)
        default:
            if length > 0 {
                try check(ncaas_curl_setopt_long(handle, CURLOPT_UPLOAD, 1), operation)
                try check(ncaas_curl_setopt_off_t(handle, CURLOPT_INFILESIZE_LARGE, size), operation)
            }
            try check(ncaas_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, method), operation)
        }
    }

    /// The request's headers as curl_slist lines, plus the suppressions: no `Expect:`
    /// (no 100-continue round trip) and, for POST, no default form Content-Type.
    static func headerLines(for request: CurlRequest) -> [String] {
        var lines = request.headers.map { header in
            // "Name;" is libcurl's syntax for a header with an empty value.
            header.value.isEmpty ? "\(header.name);" : "\(header.name): \(header.value)"
        }
        let names = Set(request.headers.map { $0.name.lowercased() })
        if !names.contains("expect") { lines.append("Expect:") }
        if request.method.uppercased() == "POST", !names.contains("content-type") { lines.append("Content-Type:") }
        return lines
    }

    // MARK: - Checking

    /// Every CURLcode of this handle goes through here, with this handle's error buffer.
    private func check(_ code: CURLcode, _ operation: @autoclosure () -> String) throws {
        try CurlError.check(code, errorBuffer: errorBuffer, operation: operation())
    }

    private func localFileError(_ failure: LocalFileFailure, _ operation: String) -> CurlError {
        CurlError(code: failure.code, message: failure.code.description, detail: failure.reason, operation: operation)
    }

    private static func containsLineBreak(_ text: String) -> Bool {
        text.utf8.contains { $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\n") }
    }

    private static func milliseconds(_ seconds: Double) -> Int {
        seconds <= 0 ? 0 : max(1, Int((seconds * 1000).rounded()))
    }

    /// The URL without its query string, for messages (a presigned query carries a signature).
    public static func withoutQuery(_ url: String) -> String {
        url.firstIndex(of: "?").map { String(url[..<$0]) } ?? url
    }
}
