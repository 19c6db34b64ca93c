import ArgumentParser
import DevAMI
import Fleet
import Foundation
import Frontend
import Support

/// `ncaas fleet launch <fleet>`.
struct FleetLaunchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "launch",
        abstract: "Launch N seats from one image, start each seat's service with its own password, write the seats file.",
        discussion: """
            All seats come from one RunInstances call and are waited for together. On each, the service \
            starts detached (it survives the SSH session): Jupyter on --port with the seat's token by \
            default, or --command with {port}, {password} and {host} substituted (shell-quoted). A seat \
            whose service does not answer is retried once on a fresh instance, else reported; the others \
            go on. The seats file (seat, instance id, address:port, password; mode 0600) is written to \
            ~/.ncaas/fleets/<fleet>/seats.csv or --seats-file. On the local cloud each seat's service \
            gets its own loopback port.

            Example: ncaas fleet launch class --image workshop --count 40 --hours 3
                     ncaas fleet launch demo --image ubuntu18 --count 5 --command 'python3 -m http.server {port} --bind {host}'
            """
    )

    @Argument(help: "The fleet's name.") var fleet: String

    @Option(help: ArgumentHelp("An AMI id, an alias, or a blueprint name (its AMI).", valueName: "image"))
    var image: String

    @Option(help: "How many seats.") var count: Int

    @Option(help: "The instance type.") var instanceType: String = "t3.medium"

    @Option(help: "The service's port (on AWS; the local cloud picks a free one per seat).") var port: Int = 8888

    @Option(help: ArgumentHelp("The service command; {port}, {password} and {host} are substituted.", valueName: "command"))
    var command: String = ServiceCommand.jupyter

    @Option(help: "Hours until the seats terminate themselves.") var hours: Double = 4

    @Option(help: ArgumentHelp("Who may reach the seats on AWS.", valueName: "cidr")) var cidr: String = "0.0.0.0/0"

    @Option(help: ArgumentHelp("Where to write the seats file.", valueName: "path")) var seatsFile: String?

    @Option(help: "Seconds a seat's service may take to answer.") var serviceTimeout: Double = 180

    @Option(help: ArgumentHelp("The subnet the seats go in (its VPC's security groups are used); else the default VPC.", valueName: "subnet-id"))
    var subnet: String?

    @OptionGroup var aws: AWSArguments
    @OptionGroup var output: OutputArguments

    func run() throws {
        try reportingErrors {
            guard hours > 0, hours <= 24 * 366 else { throw DevError(.badInput, "--hours must be more than zero and at most 8784 (366 days).") }
            guard serviceTimeout > 0, serviceTimeout <= 3600 else { throw DevError(.badInput, "--service-timeout must be more than zero and at most 3600 seconds.") }
            try FleetName.check(fleet)
            let subnetId = try SubnetID.checked(subnet, source: "--subnet")
            // The seats file holds the passwords: where it goes is checked before anything is launched.
            let seatsPath = seatsFile.map { LocalPath.absolute($0) }
            if let seatsPath { try LocalPath.prepareToWrite(seatsPath, option: "--seats-file") }
            let cloud = try FleetContext.cloud(overrides: aws.overrides)
            let (imageId, analysis) = try FleetContext.image(image, fleet: fleet, on: cloud)
            let options = FleetLaunch.Options(fleet: fleet, imageId: imageId, analysis: analysis, count: count, instanceType: instanceType,
                                              port: port, command: command, lifetime: hours * 3600, cidr: cidr, serviceTimeout: serviceTimeout,
                                              subnetId: subnetId)
            let result = try FleetLaunch(cloud: cloud, progress: ProgressLines.forTerminal(quiet: output.options.wantsJSON)).run(options)
            let path = seatsPath ?? FleetContext.seatsFile(fleet, home: cloud.home)
            try FleetContext.writeSeats(result.seats, to: path)
            print(output.options.wantsJSON ? try output.options.renderJSON(FleetReports.launchJSON(fleet, result, seatsFile: path))
                  : FleetReports.launchText(fleet, result, seatsFile: path))
            if !result.failures.isEmpty { throw ExitCode(1) }
        }
    }
}
