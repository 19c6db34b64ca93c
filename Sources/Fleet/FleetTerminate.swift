import AWS
import DevAMI
import Foundation

/// `ncaas fleet terminate`: every instance of the fleet, found by its tag.
public enum FleetTerminate {
    /// Terminates the fleet's instances and waits until they are gone; returns their ids.
    public static func run(_ fleet: String, on cloud: DevCloud, progress: (String) -> Void = { _ in }) throws -> [String] {
        try FleetName.check(fleet)
        let ids = try FleetInstances(cloud: cloud).live(fleet).map(\.instanceId)
        guard !ids.isEmpty else { throw DevError(.notFound, "The fleet \(fleet) has no instances on \(cloud.endpoint).") }
        try cloud.terminate(ids)
        progress("waiting until \(ids.count) instance\(ids.count == 1 ? "" : "s") are terminated")
        _ = try cloud.ec2.waitForInstances(ids, toBe: .terminated)
        return ids
    }
}
