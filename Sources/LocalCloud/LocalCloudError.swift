import Support

/// Why the local cloud could not do something, as one sentence a user can act on.
public struct LocalCloudError: UserFacingError, Equatable {
    /// What kind of failure: decides the exit code.
    public enum Kind: Sendable, Equatable {
        /// A tool is missing (podman, debootstrap, moto): run scripts/setup.
        case missingTool
        /// The port or another resource is taken.
        case unavailable
        /// A step failed (the base image build, a container).
        case failed
        /// Something in the configuration is wrong (a bad override).
        case configuration
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
        case .missingTool: return ExitCodes.configuration
        case .unavailable: return ExitCodes.unavailable
        case .failed: return ExitCodes.failure
        case .configuration: return ExitCodes.configuration
        }
    }
}
