import ArgumentParser
import Foundation
import Support

/// A mistyped subcommand gets "did you mean" (the argument parser only says "unexpected
/// arguments"): the command line is walked down the command tree before parsing.
enum SubcommandSuggestion {
    /// The sentence for the first word that names no subcommand where one is needed, or nil.
    static func problem(in arguments: [String], root: ParsableCommand.Type) -> String? {
        var command = root
        var path = [name(of: root)]
        for word in arguments {
            if word.hasPrefix("-") { return nil }
            let subcommands = command.configuration.subcommands
            guard !subcommands.isEmpty, command.configuration.defaultSubcommand == nil else { return nil }
            if let next = subcommands.first(where: { name(of: $0) == word || $0.configuration.aliases.contains(word) }) {
                command = next
                path.append(word)
                continue
            }
            if word == "help" { return nil }
            let names = subcommands.map(name(of:))
            let where_ = path.joined(separator: " ")
            if let closest = closest(to: word, among: names) {
                return "'\(word)' is not a command of `\(where_)`; did you mean `\(where_) \(closest)`? (`\(where_) --help` lists them)"
            }
            return "'\(word)' is not a command of `\(where_)`; the commands are \(names.joined(separator: ", ")) (`\(where_) --help`)."
        }
        return nil
    }

    static func name(of command: ParsableCommand.Type) -> String {
        command.configuration.commandName ?? String(describing: command).lowercased()
    }

    /// The name nearest to `word` (edit distance at most a third of its length, at least 2), or one it starts.
    static func closest(to word: String, among names: [String]) -> String? { NearestName.closest(to: word, among: names) }
}
