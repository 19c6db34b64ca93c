import AWS
import Foundation

/// One container the local cloud started, and what its endpoint says about its instance.
public struct LocalInstanceContainer: Sendable, Equatable {
    /// What is known about the instance behind the container.
    public enum Standing: Sendable, Equatable {
        /// The endpoint knows the instance, in this EC2 state ("running", "stopped"...).
        case instance(state: String)
        /// The instance no longer exists (or is terminated): the container is left over.
        case orphan(reason: String)
        /// The endpoint answers but would not say (another local cloud, with its own keys).
        case unknown(reason: String)
    }

    public var container: PodmanContainer
    public var instanceId: String
    public var endpoint: String
    public var sshPort: Int?
    public var standing: Standing

    public var isOrphan: Bool {
        if case .orphan = standing { return true }
        return false
    }
}

/// Finds the containers the local cloud started (by their `ncaas.instance` label) and sorts
/// them into live instances and orphans by asking each container's endpoint.
public struct LocalInstanceSurvey: Sendable {
    public var podman: Podman
    /// Makes an EC2 client for an endpoint (the local cloud's own credentials by default).
    public var ec2ForEndpoint: @Sendable (String) throws -> EC2Client

    public init(podman: Podman, ec2ForEndpoint: @escaping @Sendable (String) throws -> EC2Client = { try LocalEndpoint.ec2(endpoint: $0) }) {
        self.podman = podman
        self.ec2ForEndpoint = ec2ForEndpoint
    }

    /// Every labelled container (optionally only those of one endpoint), classified.
    public func survey(endpoint only: String? = nil) throws -> [LocalInstanceContainer] {
        let label = only.map { "\(LocalCloudTags.endpointLabel)=\($0)" } ?? LocalCloudTags.instanceLabel
        let containers = try podman.containers(withLabel: label).filter { $0.labels[LocalCloudTags.instanceLabel] != nil }
        var byEndpoint: [String: [PodmanContainer]] = [:]
        for container in containers {
            byEndpoint[container.labels[LocalCloudTags.endpointLabel] ?? "", default: []].append(container)
        }
        var result: [LocalInstanceContainer] = []
        for (endpoint, group) in byEndpoint.sorted(by: { $0.key < $1.key }) {
            let states = instanceStates(at: endpoint)
            for container in group.sorted(by: { $0.name < $1.name }) {
                let id = container.labels[LocalCloudTags.instanceLabel] ?? container.name
                let standing: LocalInstanceContainer.Standing
                var port: Int?
                switch states {
                case .failure(let reason):
                    standing = reason.endpointGone ? .orphan(reason: reason.message) : .unknown(reason: reason.message)
                case .success(let known):
                    if let instance = known[id] {
                        port = instance.tag(LocalCloudTags.sshPort).flatMap(Int.init)
                        standing = instance.state == "terminated"
                            ? .orphan(reason: "the instance is terminated")
                            : .instance(state: instance.state)
                    } else {
                        standing = .orphan(reason: "\(endpoint) has no instance \(id) (moto restarted?)")
                    }
                }
                result.append(LocalInstanceContainer(container: container, instanceId: id, endpoint: endpoint,
                                                     sshPort: port, standing: standing))
            }
        }
        return result
    }

    struct Unanswered: Error {
        var message: String
        var endpointGone: Bool
    }

    /// The instances an endpoint knows, by id.
    func instanceStates(at endpoint: String) -> Result<[String: Instance], Unanswered> {
        guard InstanceBackings.isLoopback(endpoint), let url = URLComponents(string: endpoint) else {
            return .failure(Unanswered(message: "its endpoint \"\(endpoint)\" is not a local one", endpointGone: false))
        }
        let port = url.port ?? (url.scheme == "https" ? 443 : 80)
        guard Loopback.accepts(port: port) else {
            return .failure(Unanswered(message: "its endpoint \(endpoint) no longer answers", endpointGone: true))
        }
        do {
            let instances = try ec2ForEndpoint(endpoint).describeInstances()
            return .success(Dictionary(instances.map { ($0.instanceId, $0) }, uniquingKeysWith: { first, _ in first }))
        } catch {
            return .failure(Unanswered(message: "its endpoint \(endpoint) would not list instances: \(error)", endpointGone: false))
        }
    }
}

