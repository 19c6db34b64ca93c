/// A strict JSON (RFC 8259) parser over UTF-8 bytes that records each value's byte range.
struct JSONParser {
    private let bytes: [UInt8]
    private var position = 0
    private var depth = 0
    private static let maximumDepth = 512

    init(bytes: [UInt8]) { self.bytes = bytes }

    /// Parses a whole document: one value surrounded by optional white space.
    static func parse(_ bytes: [UInt8]) throws -> JSONNode {
        var parser = JSONParser(bytes: bytes)
        parser.skipWhitespace()
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            throw parser.error("the file starts with a byte-order mark; save it as UTF-8 without BOM")
        }
        if let invalid = UTF8Validation.firstInvalidOffset(in: bytes) {
            parser.position = invalid
            throw parser.error("this byte is not UTF-8; save the file as UTF-8")
        }
        guard parser.position < bytes.count else { throw parser.error("the document is empty") }
        let node = try parser.parseValue()
        parser.skipWhitespace()
        guard parser.position == bytes.count else {
            throw parser.error("unexpected text after the end of the JSON value")
        }
        return node
    }

    private mutating func parseValue() throws -> JSONNode {
        guard position < bytes.count else { throw error("unexpected end of the document; a value is missing") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""):
            let start = position
            let s = try parseString()
            return JSONNode(content: .scalar(.string(s)), range: start..<position)
        case UInt8(ascii: "t"): return try parseLiteral("true", .bool(true))
        case UInt8(ascii: "f"): return try parseLiteral("false", .bool(false))
        case UInt8(ascii: "n"): return try parseLiteral("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        case UInt8(ascii: "'"): throw error("strings must use double quotes, not single quotes")
        case UInt8(ascii: "}"), UInt8(ascii: "]"): throw error("a value is missing (a trailing comma?)")
        default: throw error("unexpected character; expected a value (object, array, string, number, true, false or null)")
        }
    }

    private mutating func enter() throws {
        depth += 1
        if depth > Self.maximumDepth { throw error("nesting is deeper than \(Self.maximumDepth) levels") }
    }

    private mutating func parseObject() throws -> JSONNode {
        let start = position
        try enter(); defer { depth -= 1 }
        position += 1
        var members: [JSONNode.Member] = []
        // Keys seen in this object and where, so that a second one is refused: readers disagree
        // on which of two duplicates counts (jq takes the last, this document the first).
        var seen: [String: Int] = [:]
        skipWhitespace()
        if peek == UInt8(ascii: "}") {
            position += 1
            return JSONNode(content: .object(members), range: start..<position)
        }
        while true {
            skipWhitespace()
            guard peek == UInt8(ascii: "\"") else {
                if peek == UInt8(ascii: "}") { throw error("trailing comma before '}'") }
                throw error("expected a key in double quotes")
            }
            let keyStart = position
            let key = try parseString()
            let keyRange = keyStart..<position
            if let first = seen[key] {
                let firstLine = JSONDocument.lineAndColumn(of: first, in: bytes).line
                position = keyStart
                throw error("the key \"\(key)\" appears twice in this object (first on line \(firstLine)); keep one")
            }
            seen[key] = keyStart
            skipWhitespace()
            guard peek == UInt8(ascii: ":") else { throw error("expected ':' after the key \"\(key)\"") }
            position += 1
            skipWhitespace()
            let value = try parseValue()
            members.append(.init(key: key, keyRange: keyRange, value: value))
            skipWhitespace()
            switch peek {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"):
                position += 1
                return JSONNode(content: .object(members), range: start..<position)
            case nil: throw error("unexpected end of the document; '}' is missing")
            default: throw error("expected ',' or '}' after the value of \"\(key)\"")
            }
        }
    }

    private mutating func parseArray() throws -> JSONNode {
        let start = position
        try enter(); defer { depth -= 1 }
        position += 1
        var items: [JSONNode] = []
        skipWhitespace()
        if peek == UInt8(ascii: "]") {
            position += 1
            return JSONNode(content: .array(items), range: start..<position)
        }
        while true {
            skipWhitespace()
            if peek == UInt8(ascii: "]") { throw error("trailing comma before ']'") }
            items.append(try parseValue())
            skipWhitespace()
            switch peek {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "]"):
                position += 1
                return JSONNode(content: .array(items), range: start..<position)
            case nil: throw error("unexpected end of the document; ']' is missing")
            default: throw error("expected ',' or ']' after an array element")
            }
        }
    }

    private mutating func parseLiteral(_ word: String, _ value: JSONValue) throws -> JSONNode {
        let start = position
        for byte in word.utf8 {
            guard peek == byte else {
                position = start
                throw error("unexpected word; expected \(word)")
            }
            position += 1
        }
        return JSONNode(content: .scalar(value), range: start..<position)
    }

    private mutating func parseNumber() throws -> JSONNode {
        let start = position
        if peek == UInt8(ascii: "-") { position += 1 }
        guard let first = peek, isDigit(first) else { throw error("a number needs digits") }
        if first == UInt8(ascii: "0") {
            position += 1
            if let next = peek, isDigit(next) { throw error("numbers must not have leading zeros") }
        } else {
            while let b = peek, isDigit(b) { position += 1 }
        }
        if peek == UInt8(ascii: ".") {
            position += 1
            guard let b = peek, isDigit(b) else { throw error("a digit must follow the decimal point") }
            while let b = peek, isDigit(b) { position += 1 }
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            position += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { position += 1 }
            guard let b = peek, isDigit(b) else { throw error("a digit must follow the exponent") }
            while let b = peek, isDigit(b) { position += 1 }
        }
        let literal = String(decoding: bytes[start..<position], as: UTF8.self)
        return JSONNode(content: .scalar(.number(literal)), range: start..<position)
    }

    private mutating func parseString() throws -> String {
        position += 1  // opening quote
        var scalars = String.UnicodeScalarView()
        var runStart = position
        func flushRun(_ end: Int) {
            if end > runStart { scalars.append(contentsOf: String(decoding: bytes[runStart..<end], as: UTF8.self).unicodeScalars) }
        }
        while true {
            guard let b = peek else { throw error("unexpected end of the document inside a string") }
            switch b {
            case UInt8(ascii: "\""):
                flushRun(position)
                position += 1
                return String(scalars)
            case UInt8(ascii: "\\"):
                flushRun(position)
                position += 1
                guard let e = peek else { throw error("unexpected end of the document inside a string") }
                position += 1
                switch e {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{08}")
                case UInt8(ascii: "f"): scalars.append("\u{0C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"):
                    let high = try parseHex4()
                    if (0xD800..<0xDC00).contains(high) {
                        guard peek == UInt8(ascii: "\\") else { throw error("a lone UTF-16 surrogate in a \\u escape") }
                        position += 1
                        guard peek == UInt8(ascii: "u") else { throw error("a lone UTF-16 surrogate in a \\u escape") }
                        position += 1
                        let low = try parseHex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw error("a lone UTF-16 surrogate in a \\u escape") }
                        let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                        scalars.append(Unicode.Scalar(code)!)
                    } else if (0xDC00..<0xE000).contains(high) {
                        throw error("a lone UTF-16 surrogate in a \\u escape")
                    } else {
                        scalars.append(Unicode.Scalar(high)!)
                    }
                default:
                    position -= 1
                    throw error("invalid escape sequence in a string")
                }
                runStart = position
            case 0..<0x20:
                throw error(b == 0x0A ? "a string is not closed before the end of the line" : "control characters must be escaped in strings")
            default:
                position += 1
            }
        }
    }

    private mutating func parseHex4() throws -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let b = peek else { throw error("unexpected end of the document in a \\u escape") }
            let digit: UInt32
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(b - UInt8(ascii: "A") + 10)
            default: throw error("\\u must be followed by four hex digits")
            }
            value = value * 16 + digit
            position += 1
        }
        return value
    }

    private var peek: UInt8? { position < bytes.count ? bytes[position] : nil }

    private func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    private mutating func skipWhitespace() {
        while let b = peek, b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { position += 1 }
    }

    private func error(_ reason: String) -> JSONSyntaxError {
        let (line, column) = JSONDocument.lineAndColumn(of: min(position, bytes.count), in: bytes)
        return JSONSyntaxError(reason: reason, line: line, column: column, offset: position)
    }
}
