import AWS
import Foundation
import Support

/// What a newcomer to the local cloud needs after an error's own sentence: the `local` profile
/// that does not exist yet, or a loopback endpoint that refuses connections, both mean the local
/// cloud is not up.
public enum NewcomerHints {
    /// The profile `ncaas local up` writes.
    public static let localProfile = "local"

    /// `error` with the hint a newcomer needs, when there is one; else `error` as it is.
    public static func withHint(_ error: Error) -> Error {
        guard let hint = hint(for: error) else { return error }
        return Hinted(underlying: error, hint: hint)
    }

    static func hint(for error: Error) -> String? {
        if case .profileNotFound(let profile, _, _)? = error as? AWSConfigurationError, profile == localProfile {
            return "The \"\(localProfile)\" profile is the local cloud's: run `ncaas local up` to start it and write the profile."
        }
        if let error = error as? AWSConnectionError, error.underlying.kind == .cannotConnect, isLoopback(error.underlying.url) {
            return "Nothing listens there on this machine: if it is the local cloud, start it with `ncaas local up`."
        }
        return nil
    }

    static func isLoopback(_ url: String) -> Bool {
        guard let host = URLComponents(string: url)?.host else { return false }
        return host == "localhost" || host.hasPrefix("127.") || host == "::1" || host == "[::1]"
    }

    /// An error followed by a hint; its exit code is the error's.
    struct Hinted: UserFacingError {
        var underlying: Error
        var hint: String
        var description: String { "\(underlying) \(hint)" }
        var exitCode: Int32 { (underlying as? UserFacingError)?.exitCode ?? ExitCodes.failure }
    }
}
