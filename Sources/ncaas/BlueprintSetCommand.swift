import ArgumentParser
import Frontend

/// `ncaas blueprint set <name-or-path> <path> <json-value>`.
struct BlueprintSetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Change one field of a blueprint, leaving the rest of the file untouched.",
        discussion: """
            The value is JSON: quote strings. Key order, unknown keys and formatting stay as they \
            were, so `git diff` shows the one line that changed. The write is atomic, and a change \
            that would make the blueprint invalid is refused unless --force.

            Example: ncaas blueprint set spike-pca Lambda.LambdaConfig.INSTANCE_TYPE '"m5.xlarge"'
                     ncaas blueprint set spike-pca UXData.Affiliates[0].UserInput false
            """
    )

    @Argument(help: "Blueprint name, folder or file.")
    var blueprint: String

    @Argument(help: "The field, like Lambda.LambdaConfig.AMI or UXData.Affiliates[0].UserNames.")
    var path: String

    @Argument(help: "The new value as JSON, like '\"m5.xlarge\"', 900, true or '[\"alice\"]'.")
    var value: String

    @Flag(help: "Write even when the blueprint would become invalid.")
    var force = false

    func run() throws {
        try reportingErrors {
            let file = try EditBlueprint.set(blueprint, fieldPath: path, jsonValue: value, allowInvalid: force)
            print("Set \(path) in \(file)")
        }
    }
}
