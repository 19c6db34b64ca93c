import Foundation

/// A JSON-protocol error reply: `{"__type": "com.amazonaws.ssm#ParameterNotFound", "message": "..."}`
/// (some services spell it `Message`, or give the code only in `x-amzn-ErrorType`).
struct JSONErrorReply {
    /// The code without its namespace (`ParameterNotFound`).
    var code: String
    var message: String

    init?(_ body: Data) {
        guard body.first == UInt8(ascii: "{"),
              let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
              let type = (object["__type"] ?? object["code"]) as? String, !type.isEmpty else { return nil }
        code = String(type.split(separator: "#").last ?? Substring(type))
        message = (object["message"] ?? object["Message"]) as? String ?? ""
    }
}
