import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The port the local cloud's instances serve SSH on: 22, as on EC2, unless something on this
/// machine holds port 22 on every address (an sshd bound to 0.0.0.0:22), in which case 2222 (or a
/// free port), recorded in the `local` profile as `ncaas_ssh_port` for every ncaas command.
enum SSHPortChoice {
    static func choose(progress: (String) -> Void) -> Int {
        // An address no instance uses: whether port 22 binds there tells whether 0.0.0.0:22 is taken.
        let probe = "127.255.254.253"
        if bindable(probe, 22) { return 22 }
        let chosen = bindable(probe, 2222) ? 2222 : ((try? Loopback.freePort()) ?? 2222)
        progress("port 22 is taken on this machine (an sshd on 0.0.0.0:22?), so instances serve SSH on port \(chosen); the profile records it as ncaas_ssh_port")
        return chosen
    }

    static func bindable(_ address: String, _ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var reuse: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var socketAddress = sockaddr_in()
        socketAddress.sin_family = sa_family_t(AF_INET)
        socketAddress.sin_port = UInt16(port).bigEndian
        socketAddress.sin_addr.s_addr = inet_addr(address)
        return withUnsafePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }
}
