import ArgumentParser
import Foundation
import Support

/// Runs a command body; a `UserFacingError` becomes its one sentence on standard error and its
/// exit code, anything else a generic sentence and exit code 1.
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as ExitCode {
        throw error
    } catch let error as UserFacingError {
        printError(error.description)
        throw ExitCode(error.exitCode)
    } catch {
        printError("\(error)")
        throw ExitCode(ExitCodes.failure)
    }
}

/// Writes `message` to standard error, prefixed with `ncaas: `.
func printError(_ message: String) {
    FileHandle.standardError.write(Data("ncaas: \(message)\n".utf8))
}
