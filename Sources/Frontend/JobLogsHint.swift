import Jobs
import Support

/// The command that shows a failed dataset's output, for every FAILED line a command prints.
enum JobLogsHint {
    /// `` (see `ncaas jobs logs spike-stats one-fails --dataset neurolab/inputs/broken.csv --group neurolab`) ``
    static func suffix(_ layout: JobLayout, dataset: String) -> String {
        let words = [AnalysisHint.name(layout.analysis), ShellQuoting.quoteIfNeeded(layout.timestamp), "--dataset", ShellQuoting.quoteIfNeeded(dataset),
                     "--group", ShellQuoting.quoteIfNeeded(layout.group)]
        return " (its output: `ncaas jobs logs \(words.joined(separator: " "))`)"
    }
}
