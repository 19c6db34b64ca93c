import Support

/// Why the local cloud could not do something (see `NCAASError`).
public typealias LocalCloudError = NCAASError
