import Foundation

/// Compares JSON texts by content: parsed values equal, whatever their key order, spacing or
/// escaping. Arrays keep their order (a policy's statements are a list).
enum JSONContent {
    /// True when both texts parse and hold the same value; false when either is not JSON.
    static func same(_ left: String, _ right: String) -> Bool {
        guard let a = parse(left), let b = parse(right) else { return false }
        return a.isEqual(b)
    }

    private static func parse(_ text: String) -> NSObject? {
        try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) as? NSObject
    }
}
