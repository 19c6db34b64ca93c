// swift-tools-version:6.0
import PackageDescription

/// ncaas: one binary that turns an analysis into cloud infrastructure as code.
/// Dependencies point one way: CLI (`ncaas`) → workflows (`Frontend`) → clients
/// (`AWS`, `SSH`, `Git`, `JQ`) → native wrappers (`C*`, `CShims`).
let package = Package(
    name: "ncaas",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "ncaas", targets: ["ncaas"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // Native libraries (system module maps) and the C shim for what Swift cannot call.
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CSSH2", pkgConfig: "libssh2", providers: [.apt(["libssh2-1-dev"])]),
        .systemLibrary(name: "CGit2", pkgConfig: "libgit2", providers: [.apt(["libgit2-dev"])]),
        .systemLibrary(name: "CJQ", providers: [.apt(["libjq-dev"])]),
        .target(name: "CShims", dependencies: ["CCurl", "CSSH2"]),

        // Thin checked wrappers, one per native library.
        .target(name: "JQ", dependencies: ["CJQ"]),
        .target(name: "Curl", dependencies: ["CCurl", "CShims"]),
        .target(name: "SSH", dependencies: ["CSSH2", "CShims"]),
        .target(name: "Git", dependencies: ["CGit2"]),

        // Pure building blocks.
        .target(name: "Support"),
        .target(name: "LosslessJSON"),
        .target(name: "Blueprint", dependencies: ["LosslessJSON", "Support"]),
        .target(name: "SigV4", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        // The IAM permissions ncaas needs, by workflow (`ncaas iam-policy`, docs/aws.md, the local user's policy).
        .target(name: "Permissions"),

        // Clients.
        .target(name: "AWS", dependencies: ["SigV4", "Curl", "Support", .product(name: "Crypto", package: "swift-crypto")]),

        // What instances and storage cost: the price table shipped with ncaas (its date shown), a
        // user's own table, EC2's current spot prices and, on AWS, the Price List API.
        .target(name: "Prices", dependencies: ["AWS", "Support"]),

        // The local cloud: its AWS endpoint (moto extended in Python, the resource `Emulator`, so that
        // instances are podman containers booted like EC2's), the base image, and their commands.
        // No workflow depends on it: they speak the AWS APIs and SSH only.
        .target(name: "LocalCloud", dependencies: ["AWS", "SSH", "Support"], resources: [.copy("Emulator")]),

        // Deploy: a blueprint rendered into a CloudFormation template and submitted over the AWS API.
        .target(name: "Deploy", dependencies: ["Blueprint", "LosslessJSON", "AWS", "Git", "Support"]),

        // The dev-instance lifecycle (launch, reach, image, deadline) and image builds, on any endpoint.
        .target(name: "DevAMI", dependencies: ["AWS", "SigV4", "SSH", "Git", "Blueprint", "LosslessJSON", "Support", "Curl"]),

        // Workshop fleets: N identical seats from one image, each with its own service and password.
        .target(name: "Fleet", dependencies: ["DevAMI", "AWS", "Curl", "SSH", "Support"]),

        // Jobs: a submission run one instance per dataset, in NeuroCAAS's S3 layout.
        .target(name: "Jobs", dependencies: ["DevAMI", "Deploy", "LosslessJSON", "AWS", "Prices", "SSH", "Blueprint", "Support", .product(name: "Crypto", package: "swift-crypto")]),

        // `ncaas cost`: what ran (per analysis, group and job), what is stored, and what still bills.
        .target(name: "Costs", dependencies: ["Prices", "Jobs", "DevAMI", "AWS", "Support"]),

        // Workflows: what each command does, independent of argument parsing.
        .target(name: "Frontend", dependencies: ["Blueprint", "JQ", "AWS", "SSH", "Git", "LocalCloud", "Deploy", "DevAMI", "Fleet", "Jobs", "Costs", "Prices", "Permissions", "Support"]),

        // The CLI: parsing only, one file per command.
        .executableTarget(name: "ncaas", dependencies: [
            "Frontend", "DevAMI", "Fleet", "Jobs",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Benchmark drivers (bench/): the client side of the side-by-side measurements.
        .executableTarget(name: "ncaas-bench", dependencies: ["AWS", "SSH", "LocalCloud", "DevAMI"], path: "bench/Sources/ncaas-bench"),

        // Tests mirror Sources/.
        .target(name: "TestSupport", dependencies: ["Support", "AWS", "SigV4", "LocalCloud", "Permissions"], path: "Tests/TestSupport"),
        .testTarget(name: "JQTests", dependencies: ["JQ"]),
        .testTarget(name: "GitTests", dependencies: ["Git"]),
        .testTarget(name: "NativeSmokeTests", dependencies: ["Curl", "SSH"]),
        .testTarget(name: "LosslessJSONTests", dependencies: ["LosslessJSON"]),
        .testTarget(name: "BlueprintTests", dependencies: ["Blueprint"]),
        .testTarget(name: "SigV4Tests", dependencies: ["SigV4"]),
        .testTarget(name: "AWSTests", dependencies: ["AWS", "TestSupport"]),
        .testTarget(name: "SSHTests", dependencies: ["SSH", "Support", "TestSupport"]),
        .testTarget(name: "LocalCloudTests", dependencies: ["LocalCloud", "AWS", "Permissions", "TestSupport"]),
        .testTarget(name: "DeployTests", dependencies: ["Deploy", "TestSupport"]),
        .testTarget(name: "DevAMITests", dependencies: ["DevAMI", "LocalCloud", "Support", "TestSupport"]),
        .testTarget(name: "FleetTests", dependencies: ["Fleet", "DevAMI", "LocalCloud", "TestSupport"]),
        .testTarget(name: "JobsTests", dependencies: ["Jobs", "Prices", "Blueprint", "LosslessJSON", "DevAMI", "LocalCloud", "Support", "TestSupport"]),
        .testTarget(name: "ncaasTests", dependencies: ["TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
