/// Why a command could not do what it was asked, as one sentence a user can act on, and the kind
/// of failure, which decides the exit code. The workflows' error types (`DevError`,
/// `LocalCloudError`...) are this type under their module's name.
public struct NCAASError: UserFacingError, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The input is malformed: a submit file, a parameter, a duration (exit 65).
        case badInput
        /// A thing that was named does not exist (exit 66).
        case notFound
        /// Refused because it would lose, overwrite or duplicate something (exit 75).
        case refused
        /// A step failed, or the command ran and found problems (exit 1).
        case failed
        /// A remote service, a port or an instance is not available (exit 69).
        case unavailable
        /// A tool is missing: run scripts/setup (exit 78).
        case missingTool
        /// Something in the configuration is wrong (exit 78).
        case configuration
        /// A file or folder cannot be written (exit 73).
        case cannotWrite
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
        case .missingTool, .configuration: return ExitCodes.configuration
        case .cannotWrite: return ExitCodes.cannotCreate
        }
    }
}
