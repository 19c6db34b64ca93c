import AWS
import Blueprint
import Deploy
import DevAMI
import Foundation
import LosslessJSON
import Support

/// `ncaas affiliates add|remove|list`: the IAM users of an analysis's affiliates, as NeuroCAAS's
/// account tools made them for an author. `add` creates the users (tagged with the analysis and the
/// affiliate), puts them in the affiliate's group with its access policy when the analysis is
/// deployed, and writes them into the blueprint's `UXData.Affiliates[].UserNames` (a lossless edit,
/// under the blueprint's lock), so the next deploy keeps them; with `accessKey` each gets a key,
/// shown once and written to a 0600 file. `remove` takes them out of the group and the blueprint, and
/// deletes an IAM user left with no other group or policy. Every step is idempotent: after a failure
/// part-way, the same command again finishes.
public enum AffiliateAccounts {
    /// Tags on the users `add` creates.
    public static let analysisTag = "ncaas:analysis"
    public static let affiliateTag = "ncaas:affiliate"

    /// One user's outcome.
    public struct UserReport: Sendable, Equatable {
        public var name: String
        /// What was done, one phrase each ("created the IAM user", "added to group pmd-lab").
        public var done: [String]
        /// A new access key (`add --access-key`): shown once.
        public var accessKeyId: String?
        public var secretAccessKey: String?
        public var keyFile: String?
    }

    /// One affiliate user as it is (`list`).
    public struct Listed: Sendable, Equatable {
        public var affiliate: String
        public var user: String
        /// The IAM user's name (differs under NeuroCAAS's `<user><REGION>`); nil when it does not exist.
        public var iamName: String?
        public var inGroup: Bool
        public var accessKeys: Int
    }

    struct Context {
        var blueprintPath: String
        var blueprint: Blueprint
        var analysis: String
        var client: AWSClient
        var naming: StackNaming
        var regions: [String]
    }

    static func context(_ target: String, overrides: ConfigurationOverrides) throws -> Context {
        let loaded = try RenderAnalysis.load(target)
        let blueprint = loaded.template.blueprint
        let client = try DeployAnalysis.client(overrides: overrides, transport: CurlTransport(), blueprint: blueprint)
        let regions = [blueprint.region, client.region].compactMap { $0 }.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        return Context(blueprintPath: loaded.blueprintPath, blueprint: blueprint, analysis: loaded.template.naming.analysis,
                       client: client, naming: loaded.template.naming, regions: regions)
    }

    /// Refuses, before any call, a group that is not an affiliate and a name IAM would refuse.
    static func check(_ context: Context, group: String, users: [String]) throws -> Int {
        let affiliates = context.blueprint.affiliates.map(\.name)
        guard let index = affiliates.firstIndex(of: group) else {
            throw NCAASError(.notFound, "'\(group)' is not an affiliate of \(context.analysis) (its affiliates: \(affiliates.isEmpty ? "none" : affiliates.joined(separator: ", "))); add it to UXData.Affiliates first (`ncaas blueprint validate` checks it).")
        }
        guard !users.isEmpty else { throw NCAASError(.badInput, "Name at least one user.") }
        for user in users where !isIAMUserName(user) {
            throw NCAASError(.badInput, "'\(user)' is not a name IAM accepts for a user (1 to 64 letters, digits and +=,.@_-); nothing was changed.")
        }
        return index
    }

    /// IAM's rule for user names.
    public static func isIAMUserName(_ name: String) -> Bool {
        (1...64).contains(name.count) && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+=,.@_-".contains($0)) }
    }

    /// The IAM name of `user` (itself, else NeuroCAAS's `<user><REGION>`), nil when neither exists.
    static func iamName(_ user: String, context: Context) throws -> String? {
        let affiliate = Affiliate(name: "", userNames: [user], userInput: false, contactEmail: nil)
        let resolved = try AffiliateUsers.resolve([affiliate], regions: context.regions, iam: context.client.iam)
        return resolved.missing.isEmpty ? (resolved.renamed[user] ?? user) : nil
    }

    /// The affiliate's group, when the analysis is deployed (nil when it has none yet).
    static func existingGroup(_ context: Context, affiliate: String) throws -> String? {
        let group = context.naming.groupName(affiliate)
        do {
            _ = try context.client.iam.getGroupUsers(groupName: group)
            return group
        } catch let error as AWSError where error.isNoSuchEntity {
            return nil
        }
    }

    // MARK: add

    /// Creates `users` for the affiliate `group` of `target`; see the type's summary.
    /// - Parameter keyFolder: where key files go (`~/.ncaas/affiliates/<analysis>/` when nil).
    public static func add(_ target: String, group: String, users: [String], accessKey: Bool, keyFolder: String?,
                           overrides: ConfigurationOverrides) throws -> [UserReport] {
        let context = try context(target, overrides: overrides)
        let index = try check(context, group: group, users: users)
        let folder = keyFolder.map { LocalPath.absolute($0) } ?? NCAASHome.forEnvironment().root + "/affiliates/\(context.analysis)"
        if accessKey {
            for user in users where FileManager.default.fileExists(atPath: keyFile(folder: folder, user: user)) {
                throw NCAASError(.refused, "\(keyFile(folder: folder, user: user)) exists: an earlier key of \(user) is in it; move it away (the key stays valid until you delete it in IAM), then run the command again. Nothing was changed.")
            }
        }
        var reports: [UserReport] = []
        var done: [String] = []
        do {
            let iam = context.client.iam
            let accessGroup = try existingGroup(context, affiliate: group)
            let policyName = context.naming.accessPolicyName(group)
            let policy = try accessGroup.flatMap { name -> IAMInlinePolicy? in
                do { return try iam.getGroupPolicy(groupName: name, policyName: policyName) } catch let error as AWSError where error.isNoSuchEntity { return nil }
            }
            for user in users {
                var report = UserReport(name: user, done: [])
                let name: String
                if let existing = try iamName(user, context: context) {
                    name = existing
                    report.done.append(existing == user ? "was an IAM user already" : "is the IAM user \(existing) (NeuroCAAS's <user><REGION> naming)")
                } else {
                    do {
                        _ = try iam.createUser(userName: user, tags: [Tag(key: analysisTag, value: context.analysis), Tag(key: affiliateTag, value: group)])
                        report.done.append("created the IAM user")
                    } catch let error as AWSError where error.code == "EntityAlreadyExists" {
                        report.done.append("was an IAM user already")
                    }
                    name = user
                }
                done.append("\(user): \(report.done.last ?? "")")
                if let accessGroup {
                    try iam.addUserToGroup(userName: name, groupName: accessGroup)
                    if let policy { try iam.putUserPolicy(userName: name, policyName: policyName, document: policy.document) }
                    report.done.append("added to group \(accessGroup)")
                    done.append("\(user) added to group \(accessGroup)")
                }
                reports.append(report)
            }
            let added = try editUserNames(context, index: index) { names in names + users.filter { !names.contains($0) } }
            if added { done.append("added to UXData.Affiliates[\(index)].UserNames") }
            for i in reports.indices {
                reports[i].done.append(added ? "listed in the blueprint's UserNames" : "listed in the blueprint's UserNames already")
                if accessGroup == nil { reports[i].done.append("joins group \(context.naming.groupName(group)) at `ncaas deploy \(AnalysisHint.name(context.analysis))`") }
            }
            if accessKey {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
                for i in reports.indices {
                    let name = try iamName(reports[i].name, context: context) ?? reports[i].name
                    let key: IAMAccessKey
                    do { key = try iam.createAccessKey(userName: name) } catch let error as AWSError where error.code == "LimitExceeded" {
                        throw NCAASError(.refused, "\(name) has two access keys already, IAM's limit: delete one (`aws iam delete-access-key --user-name \(ShellQuoting.quoteIfNeeded(name))`), then run the command again.")
                    }
                    let file = keyFile(folder: folder, user: reports[i].name)
                    let csv = "User name,Access key ID,Secret access key\n\(name),\(key.accessKeyId),\(key.secretAccessKey)\n"
                    try AtomicFile.write(csv, to: file, mode: 0o600)
                    reports[i].accessKeyId = key.accessKeyId
                    reports[i].secretAccessKey = key.secretAccessKey
                    reports[i].keyFile = file
                    reports[i].done.append("made an access key")
                    done.append("made an access key for \(reports[i].name) in \(file)")
                }
            }
        } catch let error where !done.isEmpty {
            throw PartialFailure(error: error, done: done, notDone: "the rest; run the same command again to finish (what is done stays done)")
        }
        return reports
    }

    static func keyFile(folder: String, user: String) -> String {
        (folder as NSString).appendingPathComponent("\(user)_accessKeys.csv")
    }

    /// Rewrites `UXData.Affiliates[index].UserNames` with `change` under the blueprint's lock; true when it changed.
    static func editUserNames(_ context: Context, index: Int, _ change: @escaping ([String]) -> [String]) throws -> Bool {
        try FolderLock.around(folderOf: context.blueprintPath) {
            let document = try BlueprintFile.load(context.blueprintPath)
            let path: JSONPath = [.key("UXData"), .key("Affiliates"), .index(index), .key("UserNames")]
            var names: [String] = []
            if case .array(let items)? = document.value(at: path) { names = items.compactMap(\.stringValue) }
            let changed = change(names)
            guard changed != names else { return false }
            try BlueprintFile.save(try document.setting(.array(changed.map(JSONValue.string)), at: path), to: context.blueprintPath)
            return true
        }
    }

    // MARK: remove

    /// Takes `users` out of the affiliate `group` of `target`; see the type's summary.
    public static func remove(_ target: String, group: String, users: [String], overrides: ConfigurationOverrides) throws -> [UserReport] {
        let context = try context(target, overrides: overrides)
        let index = try check(context, group: group, users: users)
        var reports: [UserReport] = []
        var done: [String] = []
        do {
            let iam = context.client.iam
            let accessGroup = context.naming.groupName(group)
            let policyName = context.naming.accessPolicyName(group)
            for user in users {
                var report = UserReport(name: user, done: [])
                guard let name = try iamName(user, context: context) else {
                    report.done.append("is no IAM user")
                    reports.append(report)
                    continue
                }
                do {
                    try iam.removeUserFromGroup(userName: name, groupName: accessGroup)
                    report.done.append("removed from group \(accessGroup)")
                } catch let error as AWSError where error.isNoSuchEntity {}
                if try iam.listUserPolicies(userName: name).contains(policyName) {
                    try iam.deleteUserPolicy(userName: name, policyName: policyName)
                    report.done.append("policy \(policyName) deleted")
                }
                // The IAM user goes when nothing else holds it: no other group, policy or managed policy.
                let groups = try iam.listGroupsForUser(userName: name)
                let policies = try iam.listUserPolicies(userName: name)
                let attached = try iam.listAttachedUserPolicies(userName: name)
                if groups.isEmpty, policies.isEmpty, attached.isEmpty {
                    for key in try iam.listAccessKeys(userName: name) { try iam.deleteAccessKey(userName: name, accessKeyId: key) }
                    try iam.deleteUser(userName: name)
                    report.done.append("deleted the IAM user \(name)")
                } else {
                    let others = groups.map { "group \($0.groupName)" } + policies.map { "policy \($0)" } + attached.map { "policy \($0.policyName)" }
                    report.done.append("kept the IAM user \(name): it still has \(others.joined(separator: ", "))")
                }
                done.append("\(user): \(report.done.joined(separator: ", "))")
                reports.append(report)
            }
            let removed = try editUserNames(context, index: index) { names in names.filter { !users.contains($0) } }
            for i in reports.indices { reports[i].done.append(removed ? "taken out of the blueprint's UserNames" : "not in the blueprint's UserNames") }
        } catch let error where !done.isEmpty {
            throw PartialFailure(error: error, done: done, notDone: "the rest; run the same command again to finish")
        }
        return reports
    }

    // MARK: list

    /// Every affiliate user of `target`, as IAM has them.
    public static func list(_ target: String, overrides: ConfigurationOverrides) throws -> [Listed] {
        let context = try context(target, overrides: overrides)
        let iam = context.client.iam
        var listed: [Listed] = []
        for affiliate in context.blueprint.affiliates {
            let members = try existingGroup(context, affiliate: affiliate.name).map { try Set(iam.getGroupUsers(groupName: $0).map(\.userName)) } ?? []
            for user in affiliate.userNames {
                let name = try iamName(user, context: context)
                let keys = try name.map { try iam.listAccessKeys(userName: $0).count } ?? 0
                listed.append(Listed(affiliate: affiliate.name, user: user, iamName: name, inGroup: name.map(members.contains) ?? false, accessKeys: keys))
            }
        }
        return listed
    }

    // MARK: reports

    /// One line per user; a new key's secret is in it (shown once) with the file that keeps it.
    public static func text(_ reports: [UserReport]) -> String {
        reports.map { report in
            var line = "\(report.name): \(report.done.joined(separator: "; "))"
            if let id = report.accessKeyId, let secret = report.secretAccessKey, let file = report.keyFile {
                line += "\n  access key id      \(id)\n  secret access key  \(secret)\n  (shown once; also in \(file), mode 0600)"
            }
            return line
        }.joined(separator: "\n")
    }

    public static func json(_ reports: [UserReport]) -> JSONValue {
        .array(reports.map { report in
            var members: [(key: String, value: JSONValue)] = [("user", .string(report.name)), ("done", .array(report.done.map(JSONValue.string)))]
            if let id = report.accessKeyId { members.append(("accessKeyId", .string(id))) }
            if let secret = report.secretAccessKey { members.append(("secretAccessKey", .string(secret))) }
            if let file = report.keyFile { members.append(("keyFile", .string(file))) }
            return .object(members)
        })
    }

    public static func listText(_ listed: [Listed]) -> String {
        guard !listed.isEmpty else { return "no affiliate users (UXData.Affiliates names none)" }
        return listed.map { entry in
            let state: String
            if let name = entry.iamName {
                state = (name == entry.user ? "IAM user" : "IAM user \(name)") + (entry.inGroup ? ", in its group" : ", not in its group (`ncaas deploy` puts it there)")
                    + ", \(entry.accessKeys) access key\(entry.accessKeys == 1 ? "" : "s")"
            } else {
                state = "no IAM user (`ncaas affiliates add` creates it)"
            }
            return "\(entry.affiliate)  \(entry.user)  \(state)"
        }.joined(separator: "\n")
    }

    public static func listJSON(_ listed: [Listed]) -> JSONValue {
        .array(listed.map {
            .object([("affiliate", .string($0.affiliate)), ("user", .string($0.user)), ("iamUser", $0.iamName.map(JSONValue.string) ?? .null),
                     ("inGroup", .bool($0.inGroup)), ("accessKeys", .number(String($0.accessKeys)))])
        })
    }
}
