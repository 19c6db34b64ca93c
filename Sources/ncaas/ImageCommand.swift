import ArgumentParser
import DevAMI
import Foundation
import Frontend

/// `ncaas image <subcommand>`.
struct ImageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "image",
        abstract: "Build machine images from code.",
        subcommands: [ImageBuildCommand.self]
    )
}

/// `ncaas image build <name>`.
struct ImageBuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build the analysis's image: launch the base, run setup.sh, make the image, update the blueprint, terminate.",
        discussion: """
            The blueprint folder is uploaded to ~/ncaas-build on an instance launched from the base image \
            (--base, else the blueprint's ncaas.image.base, else its AMI when that is an alias, else \
            ubuntu18), and `bash setup.sh` runs there with its output streamed. Then the image is made, \
            written into the blueprint with two git commits, and the instance terminated. On any failure \
            or Ctrl-C the instance is terminated and nothing is recorded; --keep-on-failure keeps it as \
            the analysis's dev instance for debugging.

            Example: ncaas image build spike-rates --profile local
            """
    )

    @OptionGroup var dev: DevTarget

    @Option(help: ArgumentHelp("The image to start from: an AMI id or alias.", valueName: "ami"))
    var base: String?

    @Option(help: "The build instance's type; else the blueprint's INSTANCE_TYPE.")
    var instanceType: String?

    @Option(help: "The image's name (else ncaas-<analysis>-<UTC time>).")
    var name: String?

    @Option(name: [.short, .long], help: "What the image holds, for the commit message.")
    var message: String?

    @Flag(help: "Keep a failed build's instance (as the dev instance) for debugging.")
    var keepOnFailure = false

    @Flag(help: "Reuse the blueprint's image when it was built from the same folder (same setup.sh and files), instead of building again.")
    var ifChanged = false

    @Option(help: ArgumentHelp("The subnet to build in (its VPC's security groups are used); else the blueprint's ncaas.network.subnet, else the default VPC.", valueName: "subnet-id"))
    var subnet: String?

    @OptionGroup var aws: AWSArguments
    @OptionGroup var output: OutputArguments

    func run() throws {
        try reportingErrors {
            let context = try DevContext.make(dev.target, overrides: aws.overrides)
            let options = ImageBuild.Options(baseImage: context.imageBuildBase(explicit: base),
                                             instanceType: instanceType ?? context.blueprint.instanceType ?? "t3.medium",
                                             imageName: name, message: message, keepOnFailure: keepOnFailure, ifChanged: ifChanged,
                                             subnetId: try context.subnet(explicit: subnet))
            let quiet = output.options.wantsJSON
            let build = ImageBuild(cloud: context.cloud, progress: ProgressLines.forTerminal(quiet: quiet)) { data, isError in
                (isError || quiet ? FileHandle.standardError : FileHandle.standardOutput).write(data)
            }
            let result = try build.run(analysis: context.analysis, blueprintPath: context.blueprintPath, options: options)
            print(output.options.wantsJSON ? try output.options.renderJSON(DevReports.imageBuildJSON(result))
                  : DevReports.imageBuildText(context.analysis, result))
        }
    }
}
