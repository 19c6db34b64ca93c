import Foundation

/// Asks the person running ncaas for the current code of an MFA device.
public protocol MFACodePrompt: Sendable {
    /// The code, or nil when there is nobody to ask (no terminal).
    func code(serial: String, profile: String) -> String?
}

/// Asks on the terminal: the prompt on standard error, the code read from standard input
/// (a one-time code needs no hiding). Nil when standard input is not a terminal.
public struct TerminalMFAPrompt: MFACodePrompt {
    public init() {}

    public func code(serial: String, profile: String) -> String? {
        guard isatty(STDIN_FILENO) == 1 else { return nil }
        FileHandle.standardError.write(Data("Enter MFA code for \(serial): ".utf8))
        guard let line = readLine(strippingNewline: true) else { return nil }
        return line.trimmingCharacters(in: .whitespaces)
    }
}
