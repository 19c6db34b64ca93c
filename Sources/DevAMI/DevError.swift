import Support

/// Why a dev-instance, image or fleet workflow could not go on (see `NCAASError`).
public typealias DevError = NCAASError
