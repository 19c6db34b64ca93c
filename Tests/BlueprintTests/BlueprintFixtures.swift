import LosslessJSON

/// Blueprints shaped like the NeuroCAAS blueprints found in the wild (extra keys, string MAXCOST,
/// affiliates with PipelinePath, no STAGE), made here so each test can change one thing.
enum BlueprintFixtures {
    static let neurocaasStyle = """
    {
        "PipelineName": "calcium-dff",
        "PipelineVersion": "0.2",
        "REGION": "us-east-1",
        "STAGE": "websubstack",
        "Lambda": {
            "CodeUri": "../../protocols",
            "Handler": "submit_start.handler_develop",
            "Launch": true,
            "LambdaConfig": {
                "AMI": "ami-0a1b2c3d4e5f60718",
                "INSTANCE_TYPE": "p3.2xlarge",
                "REGION": "us-east-1",
                "IAM_ROLE": "SSMRole",
                "KEY_NAME": "lab-dev-key",
                "WORKING_DIRECTORY": "~/bin",
                "COMMAND": "cd /home/ubuntu; neurocaas_remote/run_main.sh \\"{}\\" \\"{}\\" \\"{}\\" \\"{}\\"; cleanup",
                "EXECUTION_TIMEOUT": 900,
                "SSM_TIMEOUT": 172000,
                "MAXCOST": "300",
                "INDIR": "inputs",
                "OUTDIR": "results",
                "LOGDIR": "logs"
            }
        },
        "PostCodeUri": "../../protocols",
        "PostHandler": "postprocess.handler",
        "PostTrigger": "results/",
        "Requirements": "requirements.txt",
        "UXData": {
            "Affiliates": [
                {
                    "AffiliateName": "brainlab",
                    "UserNames": ["alice", "bob"],
                    "UserInput": true,
                    "ContactEmail": "NOTE: keep this affiliate for testing",
                    "PipelinePath": "pipelines/dff",
                    "PipelineDir": "dff"
                },
                {
                    "AffiliateName": "debuggers",
                    "UserNames": [],
                    "UserInput": false,
                    "ContactEmail": "dev@example.org"
                }
            ]
        }
    }
    """

    static func document(_ text: String = neurocaasStyle) throws -> JSONDocument { try JSONDocument(text: text) }

    /// The fixture with one value changed.
    static func with(_ path: String, _ value: JSONValue) throws -> JSONDocument {
        try document().setting(value, at: try JSONPath(parsing: path))
    }

    /// The fixture with the line that holds `key` removed (and a trailing comma fixed up).
    static func without(_ key: String) throws -> JSONDocument {
        var lines = neurocaasStyle.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let index = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix("\"\(key)\":") }) else {
            fatalError("fixture has no \(key)")
        }
        lines.remove(at: index)
        if lines[index].trimmingCharacters(in: .whitespaces).hasPrefix("}"), lines[index - 1].hasSuffix(",") {
            lines[index - 1].removeLast()
        }
        return try JSONDocument(text: lines.joined(separator: "\n"))
    }
}
