import Curl
import Foundation

/// Whether a seat's service answers: an HTTP GET of `/` that gets any HTTP status back.
public enum ServiceProbe {
    /// The HTTP status of `http://address/`, or nil when nothing answers within `timeout` seconds.
    public static func status(of address: String, timeout: Double = 3) -> Int? {
        guard let easy = try? CurlEasy() else { return nil }
        let request = CurlRequest(method: "GET", url: "http://\(address)/",
                                  timeouts: CurlTimeouts(connect: min(timeout, 2), lowSpeedBytesPerSecond: 1, lowSpeedSeconds: Int(max(1, timeout)), total: timeout))
        return (try? easy.perform(request))?.status
    }

    /// Polls until the service answers or `timeout` seconds pass.
    public static func waitUntilAnswering(_ address: String, timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        var delay = 0.05
        while Date() < deadline {
            if status(of: address, timeout: 2) != nil { return true }
            Thread.sleep(forTimeInterval: delay)
            delay = min(delay * 1.5, 1)
        }
        return false
    }
}
