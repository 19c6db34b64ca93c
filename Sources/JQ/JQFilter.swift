import CJQ

/// How results are printed.
public enum JQOutputStyle: Sendable {
    /// Indented by `indent` spaces (jq's default is 2).
    case pretty(indent: Int)
    /// One line per result (`jq -c`).
    case compact
    /// Strings without quotes, everything else compact (`jq -r -c`).
    case raw
}

/// A compiled jq program (libjq). One instance is used from one thread at a time.
///
/// Ownership rules of libjq that this type follows: `jq_start`, `jv_dump_string`,
/// `jv_invalid_get_msg` and `jv_free` consume their `jv` argument; `jv_copy` adds a reference;
/// `jv_string_value` borrows (the pointer lives as long as the string `jv`).
public final class JQFilter {
    private var state: OpaquePointer?
    public let program: String
    private let errors = ErrorCollector()

    /// Compiles `program`; throws `JQError.compile` with libjq's message when it does not compile.
    public init(_ program: String) throws {
        self.program = program
        guard let state = jq_init() else { throw JQError.compile(filter: program, message: "libjq could not start") }
        self.state = state
        jq_set_error_cb(state, { context, message in
            // The callback owns `message` and must free it.
            let collector = Unmanaged<ErrorCollector>.fromOpaque(context!).takeUnretainedValue()
            collector.messages.append(JQFilter.text(of: message))
        }, Unmanaged.passUnretained(errors).toOpaque())
        guard jq_compile(state, program) != 0 else {
            // libjq reports each problem, then a summary ("jq: 1 compile error") we leave out.
            let message = errors.messages
                .filter { !($0.hasPrefix("jq: ") && $0.hasSuffix("compile error") || $0.hasSuffix("compile errors")) }
                .map { JQFilter.cleaned($0).split(separator: "\n").joined(separator: " ") }
                .joined(separator: "; ")
            throw JQError.compile(filter: program, message: message.isEmpty ? "syntax error" : message)
        }
    }

    deinit {
        jq_teardown(&state)
    }

    /// Runs the filter over `json` (one JSON text) and returns each result printed in `style`.
    public func run(json: String, style: JQOutputStyle = .pretty(indent: 2)) throws -> [String] {
        let utf8 = Array(json.utf8)
        let input = utf8.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                jv_parse_sized($0, Int32(buffer.count))  // returns a new jv we own
            }
        }
        guard jv_get_kind(input) != JV_KIND_INVALID else {
            throw JQError.input(message: JQFilter.cleaned(JQFilter.invalidMessage(input)))  // consumes input
        }
        errors.messages.removeAll()
        jq_start(state, input, 0)  // consumes input
        var outputs: [String] = []
        while true {
            let result = jq_next(state)  // a new jv we own
            if jv_get_kind(result) == JV_KIND_INVALID {
                if jv_invalid_has_msg(jv_copy(result)) != 0 {  // jv_invalid_has_msg consumes the copy
                    throw JQError.runtime(message: JQFilter.invalidMessage(result))  // consumes result
                }
                jv_free(result)
                break
            }
            outputs.append(Self.render(result, style: style))  // consumes result
        }
        return outputs
    }

    /// Prints `value` (consumed) in `style`.
    private static func render(_ value: jv, style: JQOutputStyle) -> String {
        if case .raw = style, jv_get_kind(value) == JV_KIND_STRING {
            let text = string(of: jv_copy(value))
            jv_free(value)
            return text
        }
        let flags: Int32
        switch style {
        case .pretty(let indent):
            flags = indent <= 0 ? 0 : Int32(min(indent, 7) << 8) | Int32(JV_PRINT_PRETTY.rawValue)
        case .compact, .raw:
            flags = 0
        }
        return string(of: jv_dump_string(value, flags))  // jv_dump_string consumes value
    }

    /// The bytes of a string `jv` (consumed).
    private static func string(of value: jv) -> String {
        defer { jv_free(value) }
        let count = Int(jv_string_length_bytes(jv_copy(value)))  // consumes the copy
        guard let pointer = jv_string_value(value) else { return "" }  // borrowed
        return pointer.withMemoryRebound(to: UInt8.self, capacity: count) {
            String(decoding: UnsafeBufferPointer(start: $0, count: count), as: UTF8.self)
        }
    }

    /// The message of an invalid `jv` (consumed), as text.
    private static func invalidMessage(_ value: jv) -> String {
        text(of: jv_invalid_get_msg(value))  // jv_invalid_get_msg consumes value
    }

    /// Any `jv` (consumed) as text: strings as they are, other values as JSON.
    fileprivate static func text(of value: jv) -> String {
        if jv_get_kind(value) == JV_KIND_STRING { return string(of: value) }
        if jv_get_kind(value) == JV_KIND_INVALID || jv_get_kind(value) == JV_KIND_NULL {
            jv_free(value)
            return "unknown error"
        }
        return string(of: jv_dump_string(value, 0))
    }

    private static func cleaned(_ message: String) -> String {
        var text = message
        if text.hasPrefix("jq: error: ") { text.removeFirst("jq: error: ".count) }
        while text.hasSuffix("\n") || text.hasSuffix(".") { text.removeLast() }
        return text.isEmpty ? "syntax error" : text
    }
}

/// Collects libjq's error callback messages for one filter.
private final class ErrorCollector {
    var messages: [String] = []
}
