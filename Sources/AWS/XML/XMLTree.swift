import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A parsed XML document as a small tree of elements, the form every AWS reply is read in.
///
/// Element names are kept without namespace prefixes; text is the concatenated character
/// data directly inside the element, trimmed of surrounding whitespace.
public struct XMLTreeElement: Sendable, Equatable {
    public var name: String
    public var attributes: [String: String]
    public var children: [XMLTreeElement]
    public var text: String

    public init(name: String, attributes: [String: String] = [:], children: [XMLTreeElement] = [], text: String = "") {
        self.name = name
        self.attributes = attributes
        self.children = children
        self.text = text
    }

    /// Parses a whole document and returns its root element.
    public static func parse(_ data: Data) throws -> XMLTreeElement {
        let builder = XMLTreeBuilder()
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = true
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else {
            let reason = parser.parserError.map { "\($0.localizedDescription)" } ?? builder.failure ?? "no root element"
            throw XMLTreeError(message: reason, line: parser.lineNumber)
        }
        return root
    }

    /// The first direct child with this name.
    public func child(_ name: String) -> XMLTreeElement? {
        children.first { $0.name == name }
    }

    /// All direct children with this name.
    public func children(_ name: String) -> [XMLTreeElement] {
        children.filter { $0.name == name }
    }

    /// Follows a path of direct children, e.g. `element["reservationSet", "item"]`.
    public subscript(path: String...) -> XMLTreeElement? {
        var current: XMLTreeElement? = self
        for step in path { current = current?.child(step) }
        return current
    }

    /// The text of the direct child with this name, if present.
    public func string(_ name: String) -> String? {
        child(name)?.text
    }

    /// The text of a direct child parsed as an integer.
    public func int(_ name: String) -> Int? {
        string(name).flatMap { Int($0) }
    }

    /// The text of a direct child parsed as a boolean (`true`/`false`).
    public func bool(_ name: String) -> Bool? {
        switch string(name)?.lowercased() {
        case "true": return true
        case "false": return false
        default: return nil
        }
    }

    /// The items of a list wrapper child: `<name><item>..</item></name>` (EC2) or
    /// `<name><member>..</member></name>` (IAM, CloudFormation, STS).
    public func list(_ name: String, item: String? = nil) -> [XMLTreeElement] {
        guard let wrapper = child(name) else { return [] }
        if let item { return wrapper.children(item) }
        return wrapper.children.filter { $0.name == "item" || $0.name == "member" }
    }

    /// The first element with this name at any depth below this one (depth first).
    public func firstDescendant(_ name: String) -> XMLTreeElement? {
        for child in children {
            if child.name == name { return child }
            if let found = child.firstDescendant(name) { return found }
        }
        return nil
    }
}

/// The document was not well-formed XML.
public struct XMLTreeError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var line: Int
    public var description: String { "The reply was not well-formed XML (line \(line)): \(message)." }
}

/// Builds `XMLTreeElement`s from parser events.
private final class XMLTreeBuilder: NSObject, XMLParserDelegate {
    private var stack: [XMLTreeElement] = []
    private var texts: [String] = []
    var root: XMLTreeElement?
    var failure: String?

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        stack.append(XMLTreeElement(name: Self.localName(elementName), attributes: attributeDict))
        texts.append("")
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard !texts.isEmpty else { return }
        texts[texts.count - 1] += string
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        guard !texts.isEmpty else { return }
        texts[texts.count - 1] += String(decoding: CDATABlock, as: UTF8.self)
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        guard var element = stack.popLast(), let text = texts.popLast() else {
            failure = "unbalanced element \(elementName)"
            parser.abortParsing()
            return
        }
        element.text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if stack.isEmpty {
            root = element
        } else {
            stack[stack.count - 1].children.append(element)
        }
    }

    private static func localName(_ name: String) -> String {
        guard let colon = name.lastIndex(of: ":") else { return name }
        return String(name[name.index(after: colon)...])
    }
}
