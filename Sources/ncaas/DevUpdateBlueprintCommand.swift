import ArgumentParser
import DevAMI
import Frontend

/// `ncaas dev update-blueprint <name>`.
struct DevUpdateBlueprintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update-blueprint",
        abstract: "Write the new image into the blueprint's AMI, with two git commits (before and after).",
        discussion: """
            Without --ami, the newest image made from the dev instance. The edit changes one line; the \
            commits are made with libgit2, hold only the blueprint file (whatever else is staged stays \
            staged) and take the author from git config. Refused, changing nothing, when the blueprint \
            holds anything shaped like a credential.

            Example: ncaas dev update-blueprint spike-rates --message "numpy 2.1 and the PCA step"
            """
    )

    @OptionGroup var dev: DevTarget

    @Option(help: "The AMI id to write (else the newest image made from the dev instance).")
    var ami: String?

    @Option(name: [.short, .long], help: "What the image holds, for the commit message.")
    var message: String?

    @OptionGroup var aws: AWSArguments

    func run() throws {
        try reportingErrors {
            let context = try DevContext.make(dev.target, overrides: aws.overrides)
            let imageId: String
            if let ami {
                imageId = ami
            } else {
                guard let newest = try DevStatus.of(context.analysis, on: context.cloud).imageIds.last else {
                    throw DevError(.notFound, "No image was made from the dev instance yet; run `ncaas dev create-image \(context.analysis)` or give --ami.")
                }
                imageId = newest
            }
            let result = try BlueprintAMIUpdate.run(blueprintPath: context.blueprintPath, imageId: imageId, purpose: message,
                                                    source: "dev update-blueprint \(context.analysis)")
            print("\(result.blueprintPath): AMI \(result.previousAMI ?? "unset") -> \(result.newAMI) (commits \(result.before.prefix(8)), \(result.after.prefix(8))).")
        }
    }
}
