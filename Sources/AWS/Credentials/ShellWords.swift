/// Splits a command line into words the way the AWS CLI splits `credential_process` (Python's
/// `shlex.split` in POSIX mode): whitespace separates words; single quotes keep everything
/// literally; double quotes keep everything but `\"` and `\\`; a backslash outside quotes
/// escapes the next character. Nothing else is interpreted: no variables, globs, pipes or
/// redirections, because the words are run directly, never by a shell.
enum ShellWords {
    enum Problem: Error, Equatable {
        case unclosedQuote
        case trailingBackslash
    }

    static func split(_ line: String) throws -> [String] {
        var words: [String] = []
        var word = ""
        var inWord = false
        var quote: Character?
        var iterator = Array(line).makeIterator()
        while let character = iterator.next() {
            if let open = quote {
                if character == open {
                    quote = nil
                } else if open == "\"" && character == "\\" {
                    guard let next = iterator.next() else { throw Problem.unclosedQuote }
                    if next != "\"" && next != "\\" { word.append("\\") }
                    word.append(next)
                } else {
                    word.append(character)
                }
                continue
            }
            switch character {
            case " ", "\t", "\n", "\r":
                if inWord { words.append(word) }
                word = ""
                inWord = false
            case "'", "\"":
                quote = character
                inWord = true
            case "\\":
                guard let next = iterator.next() else { throw Problem.trailingBackslash }
                word.append(next)
                inWord = true
            default:
                word.append(character)
                inWord = true
            }
        }
        if quote != nil { throw Problem.unclosedQuote }
        if inWord { words.append(word) }
        return words
    }
}
