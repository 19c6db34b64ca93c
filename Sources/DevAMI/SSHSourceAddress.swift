import Curl
import Foundation

/// Where SSH to an instance ncaas launches may come from when the user does not say (`--ssh-cidr`).
/// On AWS's own endpoints: this machine's public address as `checkip.amazonaws.com` sees it, as a
/// /32, so the `ncaas-ssh` group does not open port 22 to the internet. Elsewhere (the local cloud,
/// any custom endpoint) or when the address cannot be learned in a few seconds: 0.0.0.0/0, the
/// latter with a warning naming `--ssh-cidr`.
public enum SSHSourceAddress {
    /// The service AWS runs for exactly this: the caller's public IPv4 address, one line.
    static let service = "https://checkip.amazonaws.com/"
    static let anywhere = "0.0.0.0/0"

    /// The CIDR to allow SSH from on `cloud` (see the type's description).
    public static func defaultCIDR(for cloud: DevCloud) -> String {
        let client = cloud.ec2.client
        guard client.endpoint == nil, client.serviceEndpoints[.ec2] == nil else { return anywhere }
        if let address = lookUp() { return address + "/32" }
        cloud.warn("Could not learn this machine's public address from \(service): the ncaas-ssh group lets SSH in from anywhere; name where it may come from with --ssh-cidr.")
        return anywhere
    }

    /// This machine's public IPv4 address, or nil when the service does not answer with one in 5 s.
    static func lookUp() -> String? {
        guard let easy = try? CurlEasy(),
              let response = try? easy.perform(CurlRequest(method: "GET", url: service,
                                                           timeouts: CurlTimeouts(connect: 3, lowSpeedBytesPerSecond: 1, lowSpeedSeconds: 5, total: 5))),
              response.status == 200 else { return nil }
        let text = String(decoding: response.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return isIPv4(text) ? text : nil
    }

    /// Four decimal octets, each 0–255.
    public static func isIPv4(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in
            !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isASCII) && part.allSatisfy(\.isNumber) && (Int(part) ?? 256) <= 255
        }
    }
}
