import Blueprint

/// A COMMAND with its four positional `{}` filled in: bucket, dataset key, result directory,
/// config key, each shell-quoted, so a dataset named `a"; touch /tmp/pwned; "` is one word of
/// data. NeuroCAAS blueprints often write `"{}"`: a placeholder already inside double (or single)
/// quotes is replaced together with its quotes. `{{` and `}}` are literal braces (Python's format).
public enum JobCommandLine {
    /// Refuses a COMMAND that does not have exactly four positional `{}`.
    public static func checkTemplate(_ command: String) throws {
        guard let fields = CommandTemplate.fields(in: command) else {
            throw JobError(.badInput, "The blueprint's COMMAND has unbalanced braces; write {{ and }} for literal braces.")
        }
        guard fields.count == CommandTemplate.requiredPlaceholders, fields.allSatisfy({ $0.name.isEmpty }) else {
            throw JobError(.badInput, "The blueprint's COMMAND must have exactly four positional {} (bucket, dataset key, result directory, config key); it has \(fields.count) placeholders.")
        }
    }

    /// `command` with `parameters` substituted in order, each quoted.
    public static func render(_ command: String, parameters: [String]) throws -> String {
        try checkTemplate(command)
        precondition(parameters.count == CommandTemplate.requiredPlaceholders)
        let chars = Array(command)
        var output = ""
        var next = 0
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if (c == "{" || c == "}"), i + 1 < chars.count, chars[i + 1] == c {
                output.append(c)
                i += 2
                continue
            }
            if (c == "\"" || c == "'"), i + 3 < chars.count, chars[i + 1] == "{", chars[i + 2] == "}", chars[i + 3] == c {
                output += ShellQuoting.quote(parameters[next])
                next += 1
                i += 4
                continue
            }
            if c == "{", i + 1 < chars.count, chars[i + 1] == "}" {
                output += ShellQuoting.quote(parameters[next])
                next += 1
                i += 2
                continue
            }
            output.append(c)
            i += 1
        }
        return output
    }
}
