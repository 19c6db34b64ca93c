/// A command of several steps that stopped part-way: the error that stopped it, what was done
/// before, and what was not (with the command that finishes it). Its exit code is the error's.
public struct PartialFailure: UserFacingError, Equatable {
    /// The stopping error's own sentence.
    public var error: String
    public var exitCode: Int32
    /// What was done, one phrase each ("deleted stack demo").
    public var done: [String]
    /// What was not, and how to finish it.
    public var notDone: String

    public init(error: Error, done: [String], notDone: String) {
        self.error = "\(error)"
        self.exitCode = (error as? UserFacingError)?.exitCode ?? ExitCodes.failure
        self.done = done
        self.notDone = notDone
    }

    public var description: String {
        let sentence = error.hasSuffix(".") ? error : error + "."
        return "\(sentence) Done before it stopped: \(done.joined(separator: "; ")). Not done: \(notDone)."
    }
}
