import AWS

/// Where a job's instances come from (`ncaas.jobs.market`, `test-job --market`): on-demand (the
/// default), spot, or spot falling back to on-demand. A dataset whose spot instance is interrupted
/// (or a launch refused for want of spot capacity) is run again once: on spot again for `spot`, on
/// on-demand for `spotThenOnDemand`.
public enum JobMarket: String, Sendable, Equatable, CaseIterable {
    case onDemand = "on-demand"
    case spot
    case spotThenOnDemand = "spot-then-on-demand"

    /// The market of the first launch.
    public var first: InstanceMarket { self == .onDemand ? .onDemand : .spot }

    /// The market of the second attempt after an interruption or a spot capacity refusal.
    public var fallback: InstanceMarket { self == .spot ? .spot : .onDemand }

    /// `"on-demand", "spot" or "spot-then-on-demand"`, for sentences listing the choices.
    public static var choices: String {
        let quoted = allCases.map { "\"\($0.rawValue)\"" }
        return quoted.dropLast().joined(separator: ", ") + " or " + quoted.last!
    }
}
