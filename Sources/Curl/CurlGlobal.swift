import CCurl

/// `curl_global_init`, run once per process. Swift runs the initialiser of a global
/// `let` exactly once, thread-safely, on first use.
enum CurlGlobal {
    private static let initResult: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

    /// Makes sure libcurl is initialised; throws if `curl_global_init` failed.
    static func ensureInitialised() throws {
        try CurlError.check(initResult, errorBuffer: nil, operation: "curl_global_init")
    }
}
