import Foundation

/// AWS's Price List API (`AWSPriceListService`, JSON 1.1): the products of a service matching
/// filters, each as AWS's own JSON document (product attributes and terms).
public struct PricingClient: Sendable {
    public let client: AWSClient

    public init(_ client: AWSClient) { self.client = client }

    /// One `TERM_MATCH` filter: the products whose attribute `field` is `value`.
    public struct Filter: Sendable, Equatable {
        public var field: String
        public var value: String

        public init(_ field: String, _ value: String) {
            self.field = field
            self.value = value
        }
    }

    /// The price list documents of `serviceCode`'s products matching every filter (at most
    /// `maxResults`, one page: ncaas asks narrowly enough for one product).
    public func products(serviceCode: String, filters: [Filter], maxResults: Int = 10) throws -> [[String: Any]] {
        let input: [String: Any] = [
            "ServiceCode": serviceCode,
            "Filters": filters.map { ["Type": "TERM_MATCH", "Field": $0.field, "Value": $0.value] },
            "FormatVersion": "aws_v1",
            "MaxResults": maxResults,
        ]
        let reply = try client.json(.pricing, targetPrefix: "AWSPriceListService", "GetProducts", input, idempotent: true)
        return (reply["PriceList"] as? [Any] ?? []).compactMap { item in
            if let object = item as? [String: Any] { return object }
            guard let text = item as? String else { return nil }
            return (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
        }
    }
}

extension AWSClient {
    public var pricing: PricingClient { PricingClient(self) }
}
