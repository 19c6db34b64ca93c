import ArgumentParser
import DevAMI
import Foundation
import Frontend
import Support

/// `ncaas dev put <name> SRC DST`.
struct DevPutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "put",
        abstract: "Copy a local file or folder to the dev instance (SFTP).",
        discussion: "A relative destination is under the login user's home. A folder is copied whole.\n\nExample: ncaas dev put spike-rates ./analysis bin/analysis"
    )

    @OptionGroup var dev: DevTarget
    @Argument(help: "The local file or folder.") var source: String
    @Argument(help: "Where it goes on the instance.") var destination: String
    @OptionGroup var aws: AWSArguments

    func run() throws {
        try reportingErrors {
            let context = try DevContext.make(dev.target, overrides: aws.overrides)
            let summary = try DevShell(cloud: context.cloud).put(context.analysis, local: LocalPath.absolute(source), remote: destination)
            print("Copied \(summary.files) file\(summary.files == 1 ? "" : "s"), \(summary.bytes) bytes, to \(destination).")
        }
    }
}

/// `ncaas dev get <name> SRC DST`.
struct DevGetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Copy a file or folder from the dev instance (SFTP).",
        discussion: "Downloads land in a temporary file first and are renamed into place when complete.\n\nExample: ncaas dev get spike-rates results ./results"
    )

    @OptionGroup var dev: DevTarget
    @Argument(help: "The file or folder on the instance.") var source: String
    @Argument(help: "Where it goes here.") var destination: String
    @OptionGroup var aws: AWSArguments

    func run() throws {
        try reportingErrors {
            let context = try DevContext.make(dev.target, overrides: aws.overrides)
            let summary = try DevShell(cloud: context.cloud).get(context.analysis, remote: source, local: LocalPath.absolute(destination))
            print("Copied \(summary.files) file\(summary.files == 1 ? "" : "s"), \(summary.bytes) bytes, to \(destination).")
        }
    }
}
