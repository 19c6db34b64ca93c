import Blueprint
import Support

/// A COMMAND with its four positional `{}` (bucket, dataset key, result directory, config key)
/// turned into references to environment variables that the job's wrapper exports
/// (`RemoteJobFolder.script`), each reference written for the quoting context its `{}` sits in:
///
/// | where the `{}` is                        | written as            |
/// |------------------------------------------|-----------------------|
/// | outside quotes (`run {}`, `x={}`)        | `"${NCAAS_BUCKET}"`   |
/// | inside double quotes (`"data={}"`)       | `${NCAAS_BUCKET}`     |
/// | inside single quotes (`'s3://{}/{}'`)    | `'"${NCAAS_BUCKET}"'` |
///
/// Inside `$(...)` and backquotes the context starts again outside quotes. The shell expands a
/// variable into data and never reads it again as code, so a dataset named
/// `x"; echo PWNED; ".csv` stays a file name in every context. `{{` and `}}` are literal braces
/// (Python's format). A `{}` right after a backslash is refused: the backslash would quote the
/// expansion away.
public enum JobCommandLine {
    /// The variables COMMAND's placeholders become, in the order of the placeholders.
    public static let variables = ["NCAAS_BUCKET", "NCAAS_DATASET_KEY", "NCAAS_RESULT_DIR", "NCAAS_CONFIG_KEY"]

    /// Refuses a COMMAND that does not have exactly four positional `{}`.
    public static func checkTemplate(_ command: String) throws {
        guard let fields = CommandTemplate.fields(in: command) else {
            throw JobError(.badInput, "The blueprint's COMMAND has unbalanced braces; write {{ and }} for literal braces.")
        }
        guard fields.count == CommandTemplate.requiredPlaceholders, fields.allSatisfy({ $0.name.isEmpty }) else {
            throw JobError(.badInput, "The blueprint's COMMAND must have exactly four positional {} (bucket, dataset key, result directory, config key); it has \(fields.count) placeholders.")
        }
    }

    /// `command` with each `{}` replaced by its variable's expansion for the quoting context it is in.
    public static func render(_ command: String) throws -> String {
        try checkTemplate(command)
        var scanner = Scanner(Array(command))
        return try scanner.render()
    }

    /// The command as run, for the status file: the four variables set, then the rendered COMMAND,
    /// a line a user can paste into a shell to run it again.
    public static func displayed(_ rendered: String, values: [String]) -> String {
        zip(variables, values).map { "\($0)=\(ShellQuoting.quote($1)) " }.joined() + "sh -c " + ShellQuoting.quote(rendered)
    }

    /// Walks a COMMAND once, tracking the POSIX shell's quoting contexts.
    private struct Scanner {
        enum Context {
            /// Outside quotes: the command line itself, or inside `$(`...`)` (with its own parenthesis depth).
            case plain(substitution: Bool, depth: Int)
            case single
            case double
            case backquote
        }

        let chars: [Character]
        var i = 0
        var output = ""
        var contexts: [Context] = [.plain(substitution: false, depth: 0)]
        var next = 0

        init(_ chars: [Character]) { self.chars = chars }

        func at(_ offset: Int) -> Character? { i + offset < chars.count ? chars[i + offset] : nil }

        mutating func render() throws -> String {
            while i < chars.count {
                let c = chars[i]
                if (c == "{" || c == "}"), at(1) == c {
                    output.append(c)
                    i += 2
                    continue
                }
                if c == "{", at(1) == "}" {
                    output += expansion(of: JobCommandLine.variables[next])
                    next += 1
                    i += 2
                    continue
                }
                try step(c)
            }
            return output
        }

        /// The variable's expansion for the innermost context.
        func expansion(of name: String) -> String {
            switch contexts.last! {
            case .plain, .backquote: return "\"${\(name)}\""
            case .double: return "${\(name)}"
            case .single: return "'\"${\(name)}\"'"
            }
        }

        /// Copies one character (two for an escape or `$(`) and updates the context.
        mutating func step(_ c: Character) throws {
            let context = contexts.last!
            if case .single = context {
                if c == "'" { contexts.removeLast() }
                output.append(c)
                i += 1
                return
            }
            if c == "\\" {
                if at(1) == "{", at(2) == "}" {
                    throw JobError(.badInput, "The blueprint's COMMAND has a {} right after a backslash, which would quote it away; remove the backslash.")
                }
                output.append(c)
                if let escaped = at(1) { output.append(escaped) }
                i += 2
                return
            }
            if c == "$", at(1) == "(" {
                contexts.append(.plain(substitution: true, depth: 0))
                output += "$("
                i += 2
                return
            }
            if c == "`" {
                if case .backquote = context { contexts.removeLast() } else { contexts.append(.backquote) }
                output.append(c)
                i += 1
                return
            }
            switch context {
            case .double:
                if c == "\"" { contexts.removeLast() }
            case .plain(let substitution, let depth):
                switch c {
                case "'": contexts.append(.single)
                case "\"": contexts.append(.double)
                case "(": contexts[contexts.count - 1] = .plain(substitution: substitution, depth: depth + 1)
                case ")" where depth > 0: contexts[contexts.count - 1] = .plain(substitution: substitution, depth: depth - 1)
                case ")" where substitution: contexts.removeLast()
                default: break
                }
            case .backquote:
                if c == "'" { contexts.append(.single) } else if c == "\"" { contexts.append(.double) }
            case .single:
                break
            }
            output.append(c)
            i += 1
        }
    }
}
