import Foundation
import SigV4

/// What an image build is made from, as one SHA-256: every file of the blueprint folder (names and
/// bytes, sorted by path) except the blueprint JSON itself, whose AMI line the build rewrites and
/// whose other fields do not go into the image. The build tags its image with it, so an unchanged
/// folder can reuse the image (`ncaas image build --if-changed`).
public enum BuildDigest {
    public static let tag = "ncaas:build-digest"

    public static func of(folder: String, excluding blueprintFile: String) throws -> String {
        let base = URL(fileURLWithPath: folder).standardizedFileURL
        guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey]) else {
            throw DevError(.notFound, "\(folder) cannot be read.")
        }
        var entries: [(String, URL)] = []
        for case let url as URL in walker {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            let relative = String(url.standardizedFileURL.path.dropFirst(base.path.count + 1))
            if relative == blueprintFile { continue }
            entries.append((relative, url))
        }
        var manifest = ""
        for (relative, url) in entries.sorted(by: { $0.0 < $1.0 }) {
            manifest += "\(relative)\0\(try SHA256Hex.hashFile(atPath: url.path))\n"
        }
        return SHA256Hex.hash(manifest)
    }
}
