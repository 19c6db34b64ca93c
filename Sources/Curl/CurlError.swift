import CCurl
import Foundation

/// A libcurl result code (`CURLcode`), named so callers need not import the C module.
public struct CurlCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int

    public init(rawValue: Int) { self.rawValue = rawValue }
    init(_ code: CURLcode) { self.rawValue = Int(code.rawValue) }

    public static let ok = CurlCode(CURLE_OK)
    public static let unsupportedProtocol = CurlCode(CURLE_UNSUPPORTED_PROTOCOL)
    public static let failedInit = CurlCode(CURLE_FAILED_INIT)
    public static let urlMalformat = CurlCode(CURLE_URL_MALFORMAT)
    public static let couldntResolveProxy = CurlCode(CURLE_COULDNT_RESOLVE_PROXY)
    public static let couldntResolveHost = CurlCode(CURLE_COULDNT_RESOLVE_HOST)
    public static let couldntConnect = CurlCode(CURLE_COULDNT_CONNECT)
    public static let partialFile = CurlCode(CURLE_PARTIAL_FILE)
    public static let writeError = CurlCode(CURLE_WRITE_ERROR)
    public static let readError = CurlCode(CURLE_READ_ERROR)
    public static let outOfMemory = CurlCode(CURLE_OUT_OF_MEMORY)
    public static let operationTimedOut = CurlCode(CURLE_OPERATION_TIMEDOUT)
    public static let abortedByCallback = CurlCode(CURLE_ABORTED_BY_CALLBACK)
    public static let badFunctionArgument = CurlCode(CURLE_BAD_FUNCTION_ARGUMENT)
    public static let fileCouldntReadFile = CurlCode(CURLE_FILE_COULDNT_READ_FILE)
    public static let gotNothing = CurlCode(CURLE_GOT_NOTHING)
    public static let sendError = CurlCode(CURLE_SEND_ERROR)
    public static let recvError = CurlCode(CURLE_RECV_ERROR)
    public static let sendFailRewind = CurlCode(CURLE_SEND_FAIL_REWIND)
    public static let sslConnectError = CurlCode(CURLE_SSL_CONNECT_ERROR)
    public static let peerFailedVerification = CurlCode(CURLE_PEER_FAILED_VERIFICATION)
    public static let sslCertProblem = CurlCode(CURLE_SSL_CERTPROBLEM)
    public static let sslCipher = CurlCode(CURLE_SSL_CIPHER)
    public static let sslCACertBadFile = CurlCode(CURLE_SSL_CACERT_BADFILE)
    public static let sslShutdownFailed = CurlCode(CURLE_SSL_SHUTDOWN_FAILED)
    public static let sslCRLBadFile = CurlCode(CURLE_SSL_CRL_BADFILE)
    public static let sslIssuerError = CurlCode(CURLE_SSL_ISSUER_ERROR)
    public static let sslPinnedPubKeyNotMatch = CurlCode(CURLE_SSL_PINNEDPUBKEYNOTMATCH)
    public static let sslInvalidCertStatus = CurlCode(CURLE_SSL_INVALIDCERTSTATUS)
    public static let sslEngineNotFound = CurlCode(CURLE_SSL_ENGINE_NOTFOUND)
    public static let sslEngineSetFailed = CurlCode(CURLE_SSL_ENGINE_SETFAILED)
    public static let sslEngineInitFailed = CurlCode(CURLE_SSL_ENGINE_INITFAILED)
    public static let sslClientCert = CurlCode(CURLE_SSL_CLIENTCERT)
    public static let http2 = CurlCode(CURLE_HTTP2)
    public static let http2Stream = CurlCode(CURLE_HTTP2_STREAM)

    /// True for the codes libcurl uses for TLS handshake and certificate failures.
    public var isTLSFailure: Bool {
        [
            .sslConnectError, .peerFailedVerification, .sslCertProblem, .sslCipher,
            .sslCACertBadFile, .sslShutdownFailed, .sslCRLBadFile, .sslIssuerError,
            .sslPinnedPubKeyNotMatch, .sslInvalidCertStatus, .sslEngineNotFound,
            .sslEngineSetFailed, .sslEngineInitFailed, .sslClientCert,
        ].contains(self)
    }

    /// libcurl's own short text for the code (`curl_easy_strerror`).
    public var description: String {
        String(cString: curl_easy_strerror(CURLcode(UInt32(truncatingIfNeeded: rawValue))))
    }
}

/// A failed libcurl call: the code, libcurl's text for it, and the details libcurl wrote
/// into the error buffer (which usually names the host, port or file involved).
public struct CurlError: Error, Sendable, CustomStringConvertible {
    /// The libcurl result code.
    public let code: CurlCode
    /// `curl_easy_strerror` for the code.
    public let message: String
    /// The `CURLOPT_ERRORBUFFER` text (or a local reason, for body files); empty if none.
    public let detail: String
    /// What ncaas was doing when the call failed, e.g. "perform GET http://host/path".
    public let operation: String

    public init(code: CurlCode, message: String, detail: String, operation: String) {
        self.code = code
        self.message = message
        self.detail = detail
        self.operation = operation
    }

    /// The most specific text available: the error buffer if set, else the code's text.
    public var reason: String { detail.isEmpty ? message : detail }

    public var description: String { "\(operation) failed: \(reason) (curl error \(code.rawValue))" }
}

extension CurlError {
    /// The one check every libcurl result code goes through: throws a `CurlError` for any
    /// code but `CURLE_OK`, with the error buffer's text read right after the failing call.
    /// - Parameter errorBuffer: the handle's CURLOPT_ERRORBUFFER (cleared after reading), if any.
    static func check(_ code: CURLcode, errorBuffer: UnsafeMutablePointer<CChar>?, operation: @autoclosure () -> String) throws {
        guard code != CURLE_OK else { return }
        var detail = ""
        if let errorBuffer {
            detail = String(cString: errorBuffer).trimmingCharacters(in: .whitespacesAndNewlines)
            errorBuffer[0] = 0
        }
        throw CurlError(code: CurlCode(code), message: String(cString: curl_easy_strerror(code)), detail: detail, operation: operation())
    }
}
