import ArgumentParser
import DevAMI
import Frontend

/// `ncaas dev create-image <name>`.
struct DevCreateImageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create-image",
        abstract: "Make an image of the dev instance, wait until it is available, and record it.",
        discussion: "Then write it into the blueprint with `ncaas dev update-blueprint`.\n\nExample: ncaas dev create-image spike-rates --name spike-rates-v2"
    )

    @OptionGroup var dev: DevTarget

    @Option(help: "The image's name (else ncaas-<analysis>-<UTC time>).")
    var name: String?

    @OptionGroup var aws: AWSArguments

    func run() throws {
        try reportingErrors {
            let context = try DevContext.make(dev.target, overrides: aws.overrides)
            let imageId = try DevLifecycle(cloud: context.cloud, progress: ProgressLines.forTerminal()).createImage(context.analysis, name: name)
            print(imageId)
        }
    }
}
