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
        /// The endpoint answers but would not say.
        case unknown(reason: String)
    }

    public var container: PodmanContainer
    public var instanceId: String
    public var endpoint: String
    /// The instance's own loopback address (its private and public IP).
    public var address: String?
    public var standing: Standing

    public var isOrphan: Bool {
        if case .orphan = standing { return true }
        return false
    }
}

/// Finds the containers the local cloud started (by their `ncaas.instance` label) and sorts them
/// into live instances and orphans by asking each container's endpoint (its emulator's control
/// path `/_ncaas/instances`, which needs no credentials).
public struct LocalInstanceSurvey: Sendable {
    public var podman: Podman
    public var transport: any HTTPTransport

    public init(podman: Podman, transport: any HTTPTransport = CurlTransport()) {
        self.podman = podman
        self.transport = transport
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
            let known = instances(at: endpoint)
            for container in group.sorted(by: { $0.name < $1.name }) {
                let id = container.labels[LocalCloudTags.instanceLabel] ?? container.name
                var address: String?
                let standing: LocalInstanceContainer.Standing
                switch known {
                case .failure(let reason):
                    standing = reason.endpointGone ? .orphan(reason: reason.message) : .unknown(reason: reason.message)
                case .success(let instances):
                    if let instance = instances[id] {
                        address = instance.address
                        standing = instance.state == "terminated" ? .orphan(reason: "the instance is terminated") : .instance(state: instance.state)
                    } else {
                        standing = .orphan(reason: "\(endpoint) has no instance \(id) (the endpoint restarted?)")
                    }
                }
                result.append(LocalInstanceContainer(container: container, instanceId: id, endpoint: endpoint, address: address, standing: standing))
            }
        }
        return result
    }

    struct Unanswered: Error {
        var message: String
        var endpointGone: Bool
    }

    struct Known: Decodable {
        struct Entry: Decodable {
            var instanceId: String
            var state: String
            var address: String?
        }

        var instances: [Entry]
    }

    /// The instances an endpoint knows, by id.
    func instances(at endpoint: String) -> Result<[String: Known.Entry], Unanswered> {
        guard let url = URLComponents(string: endpoint), let host = url.host, host.hasPrefix("127.") || host == "localhost" else {
            return .failure(Unanswered(message: "its endpoint \"\(endpoint)\" is not a local one", endpointGone: false))
        }
        let port = url.port ?? (url.scheme == "https" ? 443 : 80)
        guard Loopback.accepts(port: port) else {
            return .failure(Unanswered(message: "its endpoint \(endpoint) no longer answers", endpointGone: true))
        }
        do {
            let response = try transport.send(HTTPRequest(method: "GET", url: endpoint + "/_ncaas/instances"))
            guard response.status == 200, let known = try? JSONDecoder().decode(Known.self, from: response.body) else {
                return .failure(Unanswered(message: "its endpoint \(endpoint) is not a local cloud's (HTTP \(response.status))", endpointGone: false))
            }
            return .success(Dictionary(known.instances.map { ($0.instanceId, $0) }, uniquingKeysWith: { first, _ in first }))
        } catch {
            return .failure(Unanswered(message: "its endpoint \(endpoint) would not list instances: \(error)", endpointGone: false))
        }
    }
}
