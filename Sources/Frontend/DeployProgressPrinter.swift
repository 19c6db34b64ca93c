import Deploy
import Foundation

/// Prints deploy and teardown progress to standard error, only when it is a terminal, in
/// colour unless NO_COLOR is set (https://no-color.org).
public struct DeployProgressPrinter: Sendable {
    public let color: Bool
    private let start = Date()

    /// A printer when standard error is a terminal and the output is not for scripts, else nil.
    public static func forTerminal(quiet: Bool, environment: [String: String] = ProcessInfo.processInfo.environment) -> DeployProgressPrinter? {
        guard !quiet, isatty(STDERR_FILENO) == 1 else { return nil }
        return DeployProgressPrinter(color: environment["NO_COLOR"].map(\.isEmpty) ?? true && environment["TERM"] != "dumb")
    }

    public init(color: Bool) { self.color = color }

    /// The line for one progress report.
    public func line(_ progress: DeployProgress) -> String {
        let elapsed = String(format: "%6.2fs", Date().timeIntervalSince(start))
        switch progress {
        case .step(let text): return "\(elapsed)  … \(text)"
        case .converged(let text): return "\(elapsed)  \(paint("fixed", 33)): \(text)"
        case .stackEvent(let event):
            let code = event.resourceStatus.hasSuffix("_FAILED") ? 31
                : event.resourceStatus.hasSuffix("_COMPLETE") && !event.resourceStatus.contains("ROLLBACK") ? 32
                : event.resourceStatus.contains("ROLLBACK") ? 31 : 36
            let reason = event.resourceStatusReason.map { "  \($0)" } ?? ""
            return "\(elapsed)  \(paint(event.resourceStatus, code))  \(event.logicalResourceId) (\(event.resourceType))\(reason)"
        }
    }

    public func print(_ progress: DeployProgress) {
        FileHandle.standardError.write(Data((line(progress) + "\n").utf8))
    }

    private func paint(_ text: String, _ code: Int) -> String {
        color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
