import ArgumentParser
import Frontend

extension OutputOptions.Format: ExpressibleByArgument {}

/// `--output text|json` and `--query FILTER`, shared by commands that print results.
struct OutputArguments: ParsableArguments {
    @Option(name: .shortAndLong, help: "Output format: text for people, json for scripts.")
    var output: OutputOptions.Format = .text

    @Option(help: ArgumentHelp("A jq filter applied to the JSON output (implies --output json).", valueName: "filter"))
    var query: String?

    var options: OutputOptions { OutputOptions(format: output, query: query) }
}
