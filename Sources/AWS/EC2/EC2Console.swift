import Foundation

extension EC2Client {
    /// The instance's console output (EC2 keeps the last 64 KiB), decoded; nil when EC2 has none yet.
    /// `latest` asks for the most recent output (Nitro instances) rather than the buffered snapshot
    /// EC2 posts after a boot.
    public func consoleOutput(instanceId: String, latest: Bool = true) throws -> String? {
        let reply = try call("GetConsoleOutput", idempotent: true) { p in
            p.set("InstanceId", instanceId)
            if latest { p.set("Latest", true) }
        }
        guard let encoded = reply.string("output"), !encoded.isEmpty,
              let data = Data(base64Encoded: encoded, options: .ignoreUnknownCharacters) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
