/// One page of a paginated listing and the token for the next page (nil on the last page).
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var nextToken: String?

    public init(items: [Item], nextToken: String?) {
        self.items = items
        self.nextToken = nextToken
    }
}

/// Follows a listing's continuation tokens (NextToken, ContinuationToken, Marker) to the end.
public enum Paginator {
    /// The default bound on pages fetched by one listing.
    public static let defaultPageLimit = 1000

    /// Fetches pages until one has no next token and returns all their items.
    ///
    /// Throws `AWSClientError.pageLimitExceeded` when more than `pageLimit` pages would be
    /// needed, and `.invalidResponse` when a service hands back the same token twice
    /// (which would loop forever).
    public static func all<Item>(operation: String, pageLimit: Int = defaultPageLimit,
                                 fetch: (_ token: String?) throws -> Page<Item>) throws -> [Item] {
        var items: [Item] = []
        var token: String?
        var seen = Set<String>()
        for _ in 0..<max(1, pageLimit) {
            let page = try fetch(token)
            items += page.items
            guard let next = page.nextToken, !next.isEmpty else { return items }
            guard seen.insert(next).inserted else {
                throw AWSClientError(.invalidResponse, "\(operation) returned the same page token twice; stopped listing.")
            }
            token = next
        }
        throw AWSClientError(.pageLimitExceeded, "\(operation) needed more than \(pageLimit) pages; stopped listing.")
    }
}
