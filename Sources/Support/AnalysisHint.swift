/// How the user named each analysis on this command line, for the commands a hint suggests: a
/// NeuroCAAS blueprint's folder is rarely named like its PipelineName (`blueprints/pmd-author/`
/// holding `"PipelineName": "pmd"`), and `ncaas deploy pmd` would find no blueprint. Whatever
/// loads a blueprint records what was typed for its PipelineName; every hint asks for it.
public enum AnalysisHint {
    private static let typed = LockedValue<[String: String]>([:])

    /// Records that the user named `analysis` (a PipelineName) as `target` (a name, folder or file).
    public static func record(_ target: String, for analysis: String) {
        typed.withLock { $0[analysis] = target }
    }

    /// Whether the user named `analysis` on this command line.
    public static func isRecorded(_ analysis: String) -> Bool { typed.value[analysis] != nil }

    /// What to write in a suggested command for `analysis`: what the user typed for it (shell-quoted
    /// when it needs to be), else the name itself.
    public static func name(_ analysis: String) -> String {
        ShellQuoting.quoteIfNeeded(typed.value[analysis] ?? analysis)
    }
}
