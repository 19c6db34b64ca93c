extension AWSConfigurationResolver {
    /// Region: `--region`, `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`, then
    /// `fallback` (the blueprint's REGION).
    /// - Throws: `AWSConfigurationError.noRegion` when none is set, `.invalidRegion` when the
    ///   value cannot be a region name.
    public func region(fallback: Sourced<String>? = nil) throws -> Sourced<String> {
        let found: Sourced<String>
        if let flag = Self.nonBlank(overrides.region) {
            found = Sourced(flag, source: .flag(ConfigurationOverrides.FlagName.region))
        } else if let value = environment.value("AWS_REGION") {
            found = Sourced(value, source: .environment("AWS_REGION"))
        } else if let value = environment.value("AWS_DEFAULT_REGION") {
            found = Sourced(value, source: .environment("AWS_DEFAULT_REGION"))
        } else if let value = files.setting("region", profile: profile.value) {
            found = value
        } else if let fallback, let value = Self.nonBlank(fallback.value) {
            found = Sourced(value, source: fallback.source)
        } else {
            throw AWSConfigurationError.noRegion(profile: profile.value)
        }
        guard Self.isValidRegionName(found.value) else {
            throw AWSConfigurationError.invalidRegion(value: found.value, source: found.source)
        }
        return found
    }

    /// A DNS label, as botocore checks it: letters, digits and inner hyphens, 1 to 63 characters.
    static func isValidRegionName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (1...63).contains(bytes.count), bytes.first != UInt8(ascii: "-"), bytes.last != UInt8(ascii: "-") else { return false }
        return bytes.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-")
        }
    }
}
