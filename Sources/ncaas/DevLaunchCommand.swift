import ArgumentParser
import DevAMI
import Frontend

/// `ncaas dev launch <name>`.
struct DevLaunchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "launch",
        abstract: "Launch the analysis's dev instance and wait until SSH answers.",
        discussion: """
            Launches from the blueprint's AMI (or --ami), tags the instance with the analysis, the role \
            dev, the owner (the STS caller) and its deadline, waits until SSH answers, pins its host \
            keys, and prints its id, address and the ssh command. Refused while the analysis has a dev \
            instance alive. Ctrl-C during the launch terminates what was launched.

            Example: ncaas dev launch spike-rates --profile local
                     ncaas dev launch spike-rates --ami ubuntu18 --instance-type m5.large --timeout 2h
            """
    )

    @OptionGroup var dev: DevTarget

    @Option(help: ArgumentHelp("The image to launch: an AMI id or alias (ubuntu18, ubuntu16, dlami18, debian12); else the blueprint's AMI.", valueName: "ami"))
    var ami: String?

    @Option(help: "The instance type; else the blueprint's INSTANCE_TYPE.")
    var instanceType: String?

    @Option(help: ArgumentHelp("How long the instance may live before it stops itself: minutes, or 90m, 2h, 45s.", valueName: "duration"))
    var timeout: String = "60"

    @Option(help: ArgumentHelp("On AWS, where SSH may come from (the ncaas-ssh security group); else this machine's public address, as checkip.amazonaws.com sees it.", valueName: "cidr"))
    var sshCidr: String?

    @Option(help: ArgumentHelp("The subnet to launch in (its VPC's security groups are used); else the blueprint's ncaas.network.subnet, else the default VPC.", valueName: "subnet-id"))
    var subnet: String?

    @OptionGroup var aws: AWSArguments
    @OptionGroup var output: OutputArguments

    func run() throws {
        try reportingErrors {
            guard let lifetime = DurationText.seconds(timeout) else {
                throw DevError(.badInput, "--timeout '\(timeout)' is not a duration: give minutes (90) or 90m, 2h, 45s, at most 366d.")
            }
            let context = try DevContext.make(dev.target, overrides: aws.overrides)
            let subnetId = try context.subnet(explicit: subnet)
            let result = try DevLaunch(cloud: context.cloud, progress: ProgressLines.forTerminal(quiet: output.options.wantsJSON))
                .run(analysis: context.analysis, blueprintAMI: context.blueprint.ami, blueprintInstanceType: context.blueprint.instanceType,
                     options: .init(image: ami, instanceType: instanceType, lifetime: lifetime, sshCIDR: sshCidr, loginUser: context.loginUser, subnetId: subnetId))
            print(output.options.wantsJSON ? try output.options.renderJSON(DevReports.launchJSON(result)) : DevReports.launchText(result))
        }
    }
}
