import Foundation

/// Reads an error reply (any of the XML shapes AWS services use) into an `AWSError`.
///
/// Query services wrap it as `ErrorResponse/Error/{Code,Message}` + `RequestId`, EC2 as
/// `Response/Errors/Error/{Code,Message}` + `RequestID`, S3 as `Error/{Code,Message,RequestId}`.
/// JSON-protocol services (SSM) answer `{"__type": "[namespace#]Code", "message": "..."}`.
/// A reply without a readable body (HEAD) gets a code from its status.
enum AWSErrorReply {
    static func parse(response: HTTPResponse, service: AWSService,
                      operation: String, attempts: Int) -> AWSError {
        var error = parseReply(response: response, service: service, operation: operation, attempts: attempts)
        error.bucketRegion = response.header("x-amz-bucket-region")
        return error
    }

    private static func parseReply(response: HTTPResponse, service: AWSService,
                                   operation: String, attempts: Int) -> AWSError {
        // A transport keeps an error reply's body in memory even for a file sink (the
        // download file is only written for 2xx), so the body is always here.
        let body = response.body
        let headerRequestId = response.header("x-amzn-RequestId") ?? response.header("x-amz-request-id")
        if let root = try? XMLTreeElement.parse(body) {
            let error = root.name == "Error" ? root : root.firstDescendant("Error")
            if let error, let code = error.string("Code"), !code.isEmpty {
                let requestId = root.string("RequestId") ?? root.string("RequestID")
                    ?? error.string("RequestId") ?? headerRequestId
                return AWSError(service: service, operation: operation, status: response.status, code: code,
                                message: error.string("Message") ?? "", requestId: requestId, attempts: attempts)
            }
        }
        if let reply = JSONErrorReply(body) {
            return AWSError(service: service, operation: operation, status: response.status, code: reply.code,
                            message: reply.message, requestId: headerRequestId, attempts: attempts)
        }
        let text = String(decoding: body.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return AWSError(service: service, operation: operation, status: response.status,
                        code: response.header("x-amzn-ErrorType").map { String($0.prefix { $0 != ":" }) }
                            ?? codeForStatus(response.status),
                        message: text.contains("<html") ? "" : text, requestId: headerRequestId, attempts: attempts)
    }

    /// The code S3 and other services use for a bare status.
    static func codeForStatus(_ status: Int) -> String {
        switch status {
        case 301: return "PermanentRedirect"
        case 304: return "NotModified"
        case 400: return "BadRequest"
        case 403: return "Forbidden"
        case 404: return "NotFound"
        case 409: return "Conflict"
        case 412: return "PreconditionFailed"
        case 429: return "TooManyRequestsException"
        case 500: return "InternalError"
        case 503: return "ServiceUnavailable"
        default: return "HTTP\(status)"
        }
    }
}
