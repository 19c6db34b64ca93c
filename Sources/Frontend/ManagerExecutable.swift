import Foundation
import Support

/// The ncaas executable a deploy ships to the in-stack job manager, checked before any call: a Linux
/// ELF of the manager instance's architecture with the Swift runtime linked in (`--static-swift-stdlib`),
/// since the manager's image has no Swift. By default this very ncaas; `--manager-binary` names another.
public enum ManagerExecutable {
    public enum Architecture: String, Sendable {
        case x86_64, arm64

        /// Graviton types carry a `g` in the letters after their generation (t4g, m7gd, c6gn) or are a1.
        public static func of(instanceType: String) -> Architecture {
            let name = instanceType.split(separator: ".").first.map(String.init) ?? instanceType
            let family = name.prefix { $0.isLetter }
            let suffix = name.drop { $0.isLetter }.drop { $0.isNumber }
            return family == "a" || suffix.contains("g") ? .arm64 : .x86_64
        }
    }

    /// The path to ship; throws one sentence when it cannot serve as the manager.
    public static func resolve(explicit: String?, instanceType: String) throws -> String {
        let wanted = Architecture.of(instanceType: instanceType)
        let remedy = "pass --manager-binary PATH (ncaas for Linux \(wanted.rawValue), built with `swift build -c release --static-swift-stdlib`), or deploy with --no-manager"
        let path: String
        if let explicit {
            path = LocalPath.absolute(explicit)
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw NCAASError(.notFound, "--manager-binary \(explicit) does not exist or cannot be read.")
            }
        } else {
            #if os(Linux)
            path = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
            #else
            throw NCAASError(.refused, "This ncaas does not run on Linux, so it cannot ship itself as the job manager; \(remedy).")
            #endif
        }
        let what = explicit.map { "--manager-binary \($0)" } ?? "This ncaas (\(path))"
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped), let elf = ELFFile(data) else {
            throw NCAASError(.badInput, "\(what) is not a Linux executable; \(remedy).")
        }
        let architecture: Architecture? = elf.machine == 62 ? .x86_64 : (elf.machine == 183 ? .arm64 : nil)
        guard architecture == wanted else {
            throw NCAASError(.badInput, "\(what) is built for \(architecture?.rawValue ?? "another architecture"), but the manager's \(instanceType) runs \(wanted.rawValue); \(remedy).")
        }
        guard !elf.neededLibraries.contains(where: { $0.hasPrefix("libswiftCore") }) else {
            throw NCAASError(.refused, "\(what) loads the Swift runtime from shared libraries the manager's image does not have (a build without --static-swift-stdlib); \(remedy).")
        }
        return path
    }
}
