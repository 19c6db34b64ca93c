import AWS
import Blueprint
import Support

/// The IAM users a blueprint's affiliates name, as they exist in the account: the name itself,
/// else NeuroCAAS's `<user><REGION>` (NeuroCAAS's own tools create an affiliate's user as
/// `ann` + `us-east-1`). Every affiliate's missing users are found in one pass, so a deploy names
/// them all at once with the command that creates them.
public struct AffiliateUsers: Sendable, Equatable {
    /// The blueprint's name → the IAM user's name, where they differ.
    public var renamed: [String: String]
    /// Per affiliate (in blueprint order), the users that exist under neither name.
    public var missing: [Missing]

    public struct Missing: Sendable, Equatable {
        public var affiliate: String
        public var users: [String]

        public init(affiliate: String, users: [String]) {
            self.affiliate = affiliate
            self.users = users
        }
    }

    /// Looks every affiliate user up (GetUser), then `<user><region>` for those missing, for each
    /// region in `regions` (the blueprint's REGION, then the one in use).
    public static func resolve(_ affiliates: [Affiliate], regions: [String], iam: IAMClient) throws -> AffiliateUsers {
        var result = AffiliateUsers(renamed: [:], missing: [])
        var known: [String: String?] = [:]
        func exists(_ name: String) throws -> Bool {
            do {
                _ = try iam.getUser(userName: name)
                return true
            } catch let error as AWSError where error.isNoSuchEntity || error.code == "ValidationError" {
                return false
            }
        }
        for affiliate in affiliates {
            var missing: [String] = []
            for user in affiliate.userNames {
                if known[user] == nil {
                    var found: String?
                    if try exists(user) {
                        found = user
                    } else {
                        for region in regions where try exists(user + region) {
                            found = user + region
                            break
                        }
                    }
                    known[user] = .some(found)
                }
                switch known[user] {
                case .some(.some(let name)): if name != user { result.renamed[user] = name }
                default: missing.append(user)
                }
            }
            if !missing.isEmpty { result.missing.append(Missing(affiliate: affiliate.name, users: missing)) }
        }
        return result
    }

    /// `affiliates` with each user under its IAM name.
    public func applied(to affiliates: [Affiliate]) -> [Affiliate] {
        affiliates.map { affiliate in
            var copy = affiliate
            copy.userNames = affiliate.userNames.map { renamed[$0] ?? $0 }
            return copy
        }
    }

    /// One sentence per renamed user, for a deploy's notes.
    public var renamedSentences: [String] {
        renamed.sorted { $0.key < $1.key }.map {
            "UXData.Affiliates names the user '\($0.key)', which is the IAM user '\($0.value)' here (NeuroCAAS's <user><REGION> naming); the stack uses '\($0.value)'"
        }
    }
}
