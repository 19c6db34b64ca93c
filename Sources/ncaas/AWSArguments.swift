import ArgumentParser
import AWS

/// The AWS CLI's connection options, shared by every command that talks to AWS.
struct AWSArguments: ParsableArguments {
    @Option(help: "Use this profile from ~/.aws/config and ~/.aws/credentials (else NCAAS_PROFILE, AWS_PROFILE).")
    var profile: String?

    @Option(help: "AWS region (else AWS_REGION, AWS_DEFAULT_REGION, the profile's region).")
    var region: String?

    @Option(help: "Send every request to this endpoint, e.g. http://127.0.0.1:5000 (else AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, the profile's endpoint_url).")
    var endpointURL: String?

    var overrides: ConfigurationOverrides {
        ConfigurationOverrides(profile: profile, region: region, endpointURL: endpointURL)
    }
}
