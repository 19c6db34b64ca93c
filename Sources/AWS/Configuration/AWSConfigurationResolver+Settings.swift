extension AWSConfigurationResolver {
    /// A setting of the profile in use that the AWS CLI itself does not read (tools keep their own
    /// keys in profiles, as ncaas keeps `ncaas_ssh_port`), with the file and section it came from.
    public func profileSetting(_ key: String) -> Sourced<String>? {
        files.setting(key, profile: profile.value)
    }
}
