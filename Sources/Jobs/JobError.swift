import Support

/// Why a job could not be submitted, run or read back, as one sentence (see `NCAASError`): a
/// malformed submit file (65), a missing dataset, config or job (66), over budget or capacity, or
/// a job that already ran (75).
public typealias JobError = NCAASError
