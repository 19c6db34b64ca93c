import Foundation

/// A VPC's subnet.
public struct Subnet: Sendable, Equatable {
    public var subnetId: String
    public var vpcId: String
    public var availabilityZone: String

    init(_ e: XMLTreeElement) {
        subnetId = e.string("subnetId") ?? ""
        vpcId = e.string("vpcId") ?? ""
        availabilityZone = e.string("availabilityZone") ?? ""
    }
}

extension EC2Client {
    /// Subnets by id and filters.
    public func describeSubnets(subnetIds: [String] = [], filters: [EC2Filter] = []) throws -> [Subnet] {
        let reply = try call("DescribeSubnets", idempotent: true) { p in
            p.setEC2List("SubnetId", subnetIds)
            EC2Filter.add(filters, to: &p)
        }
        return reply.list("subnetSet").map(Subnet.init)
    }

    /// The VPC of a subnet; a subnet that does not exist here is EC2's `InvalidSubnetID.NotFound`.
    public func vpcId(ofSubnet subnetId: String) throws -> String {
        guard let subnet = try describeSubnets(subnetIds: [subnetId]).first else {
            throw AWSError(service: .ec2, operation: "DescribeSubnets", status: 400, code: "InvalidSubnetID.NotFound",
                           message: "The subnet ID '\(subnetId)' does not exist")
        }
        return subnet.vpcId
    }
}

extension SecurityGroup {
    /// Whether an inbound rule lets TCP `port` in from exactly `cidr` (or from anywhere).
    public func admits(port: Int, from cidr: String) -> Bool {
        ingress.contains { rule in
            let coversPort = rule.ipProtocol == "-1" || (rule.ipProtocol == "tcp" && (rule.fromPort ?? 0) <= port && port <= (rule.toPort ?? 65535))
            return coversPort && (rule.cidrRanges.contains(cidr) || rule.cidrRanges.contains("0.0.0.0/0"))
        }
    }
}
