import ArgumentParser
import Foundation

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
    static func closest(to word: String, among names: [String]) -> String? {
        let scored = names.map { (name: $0, distance: distance(word.lowercased(), $0)) }.sorted { $0.distance < $1.distance }
        if let best = scored.first, best.distance <= max(2, word.count / 3) { return best.name }
        return names.first { word.count >= 3 && $0.hasPrefix(word.lowercased()) }
    }

    /// Levenshtein distance, with a swap of two neighbours counting one (Damerau).
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var table = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1) }
            }
        }
        return table[a.count][b.count]
    }
}
