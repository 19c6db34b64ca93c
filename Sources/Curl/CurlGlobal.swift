import CCurl

/// `curl_global_init`, run once per process. Swift runs the initialiser of a global
/// `let` exactly once, thread-safely, on first use.
enum CurlGlobal {
    private static let initResult: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

    /// Makes sure libcurl is initialised; throws if `curl_global_init` failed.
    static func ensureInitialised() throws {
        let code = initResult
        guard code == CURLE_OK else {
            throw CurlError(
                code: CurlCode(code),
                message: String(cString: curl_easy_strerror(code)),
                detail: "",
                operation: "curl_global_init"
            )
        }
    }
}
