import ArgumentParser
import Foundation
import Frontend
import Support

/// Runs a command body; a `UserFacingError` becomes its one sentence on standard error and its
/// exit code, anything else one sentence (a Foundation error its path and reason) and exit code 1.
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        do { try body() } catch { throw NewcomerHints.withHint(error) }
        InterruptCleanup.shared.parkIfInterrupted()
    } catch let error as ExitCode {
        InterruptCleanup.shared.parkIfInterrupted()
        throw error
    } catch let error as UserFacingError {
        InterruptCleanup.shared.parkIfInterrupted()  // the cleanup's exit (130) wins over this error
        printError(error.description)
        throw ExitCode(error.exitCode)
    } catch {
        InterruptCleanup.shared.parkIfInterrupted()
        printError(LocalPath.sentence(for: error))  // never Foundation's domain and codes
        throw ExitCode(ExitCodes.failure)
    }
}

/// Writes `message` to standard error, prefixed with `ncaas: `.
func printError(_ message: String) {
    FileHandle.standardError.write(Data("ncaas: \(message)\n".utf8))
}
