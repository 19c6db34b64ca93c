import AWS
import Foundation

extension LocalCloud {
    /// What `ncaas local interrupt` did.
    public struct InterruptReport: Sendable, Equatable {
        public var instanceId: String
        public var endpoint: String
        /// Seconds from the notice to the termination.
        public var after: Double
        /// When EC2 (the endpoint) terminates it.
        public var terminatesAt: Date
    }

    /// Interrupts the spot instance `instanceId` as EC2 does: its endpoint (the one whose container
    /// it is, found by podman's labels) posts the interruption notice in the instance's metadata
    /// (`spot/instance-action`) and terminates it `after` seconds later, with the state reason
    /// `Server.SpotInstanceTermination`. Any running instance can be interrupted this way, spot or not.
    public func interrupt(_ instanceId: String, after: Double, transport: any HTTPTransport = CurlTransport()) throws -> InterruptReport {
        let podman = Podman(runner: runner, options: optionsResolver.known() ?? PodmanOptions())
        guard podman.isInstalled else { throw LocalCloudError(.missingTool, "podman is not installed; run scripts/setup.") }
        guard let container = try podman.containers(withLabel: "\(LocalCloudTags.instanceLabel)=\(instanceId)").first,
              let endpoint = container.labels[LocalCloudTags.endpointLabel] else {
            throw LocalCloudError(.notFound, "There is no local-cloud instance \(instanceId) on this machine; `ncaas local status` lists them.")
        }
        var query = URLComponents()
        query.queryItems = [URLQueryItem(name: "instance", value: instanceId), URLQueryItem(name: "after", value: String(after))]
        let response: HTTPResponse
        do {
            response = try transport.send(HTTPRequest(method: "POST", url: endpoint + "/_ncaas/interrupt?" + (query.percentEncodedQuery ?? "")))
        } catch {
            throw LocalCloudError(.unavailable, "The endpoint \(endpoint) of \(instanceId) does not answer (\(error)); is the local cloud up (`ncaas local status`)?")
        }
        switch response.status {
        case 200:
            return InterruptReport(instanceId: instanceId, endpoint: endpoint, after: after, terminatesAt: Date().addingTimeInterval(after))
        case 409:
            throw LocalCloudError(.refused, "\(instanceId) is not running (or pending), so there is nothing to interrupt; `ncaas local status` shows its state.")
        default:
            throw LocalCloudError(.unavailable, "The endpoint \(endpoint) refused to interrupt \(instanceId) (HTTP \(response.status)): \(String(decoding: response.body.prefix(300), as: UTF8.self)).")
        }
    }
}
