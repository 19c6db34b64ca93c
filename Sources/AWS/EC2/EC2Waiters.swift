/// Waiting for instances and images to reach a state.
extension EC2Client {
    /// Polls until every instance is in `state`; fails early when one reaches a state from
    /// which `state` cannot follow (e.g. terminated while waiting for running).
    @discardableResult
    public func waitForInstances(_ instanceIds: [String], toBe state: InstanceStateName,
                                 policy: WaiterPolicy = .standard,
                                 progress: ((String) -> Void)? = nil) throws -> [Instance] {
        try client.wait(for: "instances \(instanceIds.joined(separator: ", ")) to be \(state.rawValue)",
                        policy: policy, progress: progress) { () -> WaiterOutcome<[Instance]> in
            let instances: [Instance]
            do {
                instances = try describeInstances(instanceIds: instanceIds)
            } catch let error as AWSError where error.code == "InvalidInstanceID.NotFound" {
                // A new instance may not be visible yet.
                return .pending(status: "not visible yet")
            }
            let states = instances.map { "\($0.instanceId): \($0.state)" }.joined(separator: ", ")
            if instances.count == Set(instanceIds).count, instances.allSatisfy({ $0.stateName == state }) {
                return .done(instances)
            }
            let dead: Set<InstanceStateName> = state == .terminated ? [] :
                (state == .running ? [.shuttingDown, .terminated, .stopping] : [.shuttingDown, .terminated])
            if let stuck = instances.first(where: { $0.stateName.map(dead.contains) ?? false }) {
                return .failed(reason: "\(stuck.instanceId) is \(stuck.state)\(stuck.stateReason.map { " (\($0))" } ?? "")")
            }
            return .pending(status: states)
        }
    }

    /// Polls until an image is available; fails if it becomes "failed" or is deregistered.
    @discardableResult
    public func waitForImageAvailable(_ imageId: String, policy: WaiterPolicy = .standard,
                                      progress: ((String) -> Void)? = nil) throws -> Image {
        try client.wait(for: "image \(imageId) to be available", policy: policy, progress: progress) { () -> WaiterOutcome<Image> in
            let images: [Image]
            do {
                images = try describeImages(imageIds: [imageId])
            } catch let error as AWSError where error.code == "InvalidAMIID.NotFound" {
                return .pending(status: "not visible yet")
            }
            guard let image = images.first else { return .pending(status: "not visible yet") }
            switch image.state {
            case "available": return .done(image)
            case "failed", "deregistered", "invalid", "error": return .failed(reason: "the image is \(image.state)")
            default: return .pending(status: image.state)
            }
        }
    }
}
