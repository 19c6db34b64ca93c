/// An error that knows how to say itself to a user in one sentence, and which exit code it means.
public protocol UserFacingError: Error, CustomStringConvertible {
    /// The process exit code this error stands for (see `ExitCode`).
    var exitCode: Int32 { get }
}

/// Exit codes with a meaning, shared by every command.
public enum ExitCodes {
    /// Success.
    public static let success: Int32 = 0
    /// The command ran and found problems (an invalid blueprint, a failed job).
    public static let failure: Int32 = 1
    /// The command line itself was wrong (argument parser's own code).
    public static let usage: Int32 = 64
    /// Input data was malformed (a blueprint that is not JSON, a bad filter).
    public static let dataError: Int32 = 65
    /// A file or blueprint that was named does not exist.
    public static let noInput: Int32 = 66
    /// A remote service refused or failed.
    public static let unavailable: Int32 = 69
    /// Could not write output.
    public static let cannotCreate: Int32 = 73
    /// Refused: the change would overwrite or lose something (use --force).
    public static let refused: Int32 = 75
    /// Credentials or permissions.
    public static let permission: Int32 = 77
    /// Configuration (profile, region, endpoint) is missing or wrong.
    public static let configuration: Int32 = 78
    /// Interrupted by a signal (Ctrl-C).
    public static let interrupted: Int32 = 130
}
