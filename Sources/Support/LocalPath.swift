import Foundation

/// Paths a user typed for files on this machine: relative ones are taken from the current
/// directory and `~` is the home folder, as in a shell, for every file option.
public enum LocalPath {
    /// `path` as an absolute, standardized path.
    public static func absolute(_ path: String, from directory: String = FileManager.default.currentDirectoryPath) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        let full = expanded.hasPrefix("/") ? expanded : (directory as NSString).appendingPathComponent(expanded)
        return (full as NSString).standardizingPath
    }

    /// Makes the folder that will hold the file `path` and checks that a file can be written there,
    /// before any work whose result would be lost (a launched fleet's seats file). Throws one
    /// sentence naming `option` (exit 73).
    public static func prepareToWrite(_ path: String, option: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw NCAASError(.cannotWrite, "\(option) \(path) is a folder; give a file name.")
        }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw NCAASError(.cannotWrite, "\(option) \(path) cannot be written: its folder \(folder) cannot be made (\(reason(error))).")
        }
        guard FileManager.default.isWritableFile(atPath: folder) else {
            throw NCAASError(.cannotWrite, "\(option) \(path) cannot be written: you may not write in \(folder).")
        }
    }

    /// A Foundation error's own reason, without its domain and codes ("No such file or directory").
    public static func reason(_ error: Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if nsError.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(nsError.code))) }
        return nsError.localizedDescription.trimmingCharacters(in: CharacterSet(charactersIn: "."))
    }

    /// An error's own text: a Foundation error's reason ("No such file or directory"), any other
    /// error's description.
    public static func describe(_ error: Error) -> String {
        [NSCocoaErrorDomain, NSPOSIXErrorDomain].contains((error as NSError).domain) ? reason(error) : "\(error)"
    }

    /// One sentence for any error: a Foundation file error becomes its path and reason (never its
    /// domain and codes), anything else its own description.
    public static func sentence(for error: Error) -> String {
        let nsError = error as NSError
        guard [NSCocoaErrorDomain, NSPOSIXErrorDomain].contains(nsError.domain) else { return "\(error)" }
        let path = (nsError.userInfo[NSFilePathErrorKey] as? String) ?? (nsError.userInfo[NSURLErrorKey] as? URL)?.path
        let where_ = path.map { $0.isEmpty ? "the current folder" : $0 } ?? "a file"
        return "Could not use \(where_): \(reason(error)); check that it exists and that you may read and write it."
    }
}
