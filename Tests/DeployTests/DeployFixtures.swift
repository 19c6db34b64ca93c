import Blueprint
import Deploy
import Foundation
import LosslessJSON
import TestSupport
import XCTest

/// Blueprints for deploy tests, built from the parts a test changes.
enum DeployFixtures {
    /// The repository root (this file is Tests/DeployTests/DeployFixtures.swift).
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// A valid NeuroCAAS blueprint text.
    static func blueprintText(name: String, affiliates: [(name: String, users: [String])], instanceType: String = "t3.small",
                              stage: String? = "develop", extraAffiliateKeys: String = "") -> String {
        let affiliateList = affiliates.map { affiliate in
            let users = affiliate.users.map { "\"\($0)\"" }.joined(separator: ", ")
            return "{\"AffiliateName\": \"\(affiliate.name)\", \"UserNames\": [\(users)], \"UserInput\": true, \"ContactEmail\": \"\"\(extraAffiliateKeys)}"
        }.joined(separator: ",\n      ")
        return """
        {
          "PipelineName": "\(name)",
          "REGION": "us-east-1",
        \(stage.map { "  \"STAGE\": \"\($0)\",\n" } ?? "")  "Lambda": {
            "LambdaConfig": {
              "AMI": "debian12",
              "INSTANCE_TYPE": "\(instanceType)",
              "COMMAND": "python3 ~/bin/run.py {} {} {} {}",
              "EXECUTION_TIMEOUT": 900
            }
          },
          "UXData": {
            "Affiliates": [
              \(affiliateList)
            ]
          }
        }

        """
    }

    static func blueprint(_ text: String) throws -> Blueprint {
        Blueprint(document: try JSONDocument(text: text))
    }

    static func template(_ text: String) throws -> StackTemplate {
        try StackTemplate(blueprint: blueprint(text), manager: false)
    }

    /// A new empty folder, removed when the test ends.
    static func scratchFolder(for test: XCTestCase) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ncaas-deploy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }
}
