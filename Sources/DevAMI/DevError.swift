import Support

/// Why a dev-instance workflow could not go on, as one sentence a user can act on.
public struct DevError: UserFacingError, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Refused because it would lose something or duplicate something (exit 75).
        case refused
        /// The thing named does not exist (exit 66).
        case notFound
        /// The input is malformed (exit 65).
        case badInput
        /// A step failed (exit 1).
        case failed
        /// The remote side failed (exit 69).
        case unavailable
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    public var exitCode: Int32 {
        switch kind {
        case .refused: return ExitCodes.refused
        case .notFound: return ExitCodes.noInput
        case .badInput: return ExitCodes.dataError
        case .failed: return ExitCodes.failure
        case .unavailable: return ExitCodes.unavailable
        }
    }
}
