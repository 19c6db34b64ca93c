import AWS
import Support

extension AWSError: UserFacingError {
    /// 77 for credentials and permissions, 69 for everything else the service refused.
    public var exitCode: Int32 { hint.map { _ in isCredentialOrPermissionProblem ? ExitCodes.permission : ExitCodes.unavailable } ?? ExitCodes.unavailable }

    var isCredentialOrPermissionProblem: Bool {
        ["SignatureDoesNotMatch", "AuthFailure", "InvalidClientTokenId", "UnrecognizedClientException", "InvalidAccessKeyId",
         "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "Forbidden",
         "ExpiredToken", "ExpiredTokenException", "RequestExpired", "TokenRefreshRequired"].contains(code)
    }
}

extension AWSConnectionError: UserFacingError {
    public var exitCode: Int32 { ExitCodes.unavailable }
}

extension AWSClientError: UserFacingError {
    public var exitCode: Int32 { kind == .invalidInput ? ExitCodes.dataError : ExitCodes.unavailable }
}

extension AWSConfigurationError: UserFacingError {
    public var exitCode: Int32 {
        switch self {
        case .noCredentials, .incompleteCredentials, .instanceMetadata, .mfaNeedsTerminal, .credentialSourceFailed, .ssoLoginNeeded:
            return ExitCodes.permission
        default: return ExitCodes.configuration
        }
    }
}
