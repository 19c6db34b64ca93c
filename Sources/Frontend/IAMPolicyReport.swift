import Permissions
import Support

/// `ncaas iam-policy`: the policy document for the workflows named, refusing a name it does not know.
public enum IAMPolicyReport {
    /// `dev (ncaas dev ...), image (...)`, for help texts.
    public static var workflowList: String {
        NCAASPolicy.Workflow.allCases.map { "\($0.rawValue) (\($0.summary))" }.joined(separator: ", ")
    }

    /// - Parameter list: comma-separated workflow names; nil: every workflow.
    public static func document(for list: String?) throws -> String {
        guard let list else { return NCAASPolicy.document() }
        var chosen: [NCAASPolicy.Workflow] = []
        for name in list.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
            guard let workflow = NCAASPolicy.Workflow(rawValue: name) else {
                let known = NCAASPolicy.Workflow.allCases.map(\.rawValue)
                throw NCAASError(.badInput, "--for names '\(name)', which is not a workflow; choose from \(known.joined(separator: ", ")).")
            }
            chosen.append(workflow)
        }
        guard !chosen.isEmpty else { throw NCAASError(.badInput, "--for names no workflow; choose from \(NCAASPolicy.Workflow.allCases.map(\.rawValue).joined(separator: ", ")).") }
        return NCAASPolicy.document(for: chosen)
    }
}
