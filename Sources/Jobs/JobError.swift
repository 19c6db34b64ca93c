import Support

/// Why a job could not be submitted or run, as one sentence a user can act on.
public struct JobError: UserFacingError, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The submit file or a parameter is malformed (exit 65).
        case badInput
        /// A dataset, config, bucket or blueprint that was named does not exist (exit 66).
        case notFound
        /// Refused: over budget, over capacity, or it would overwrite a job (exit 75).
        case refused
        /// The job ran and at least one dataset failed (exit 1).
        case failed
        /// A remote service failed (exit 69).
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
        case .badInput: return ExitCodes.dataError
        case .notFound: return ExitCodes.noInput
        case .refused: return ExitCodes.refused
        case .failed: return ExitCodes.failure
        case .unavailable: return ExitCodes.unavailable
        }
    }
}
