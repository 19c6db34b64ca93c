import Foundation
import TestSupport
import XCTest

/// The example analysis itself (blueprints/spike-stats): its sample data are made by a script, and
/// its summary agrees with rates and intervals computed here, independently, from the same CSV; its
/// figure is a PNG of the promised size.
final class ExampleAnalysisTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("ncaas-example-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("out"), withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    private var blueprint: URL { JobsWorld.repositoryRoot.appendingPathComponent("blueprints/spike-stats") }

    @discardableResult
    private func python(_ arguments: [String], environment: [String: String] = [:]) throws -> ProcessResult {
        let result = try ProcessRunner.run("python3", arguments, environment: environment, timeout: 60)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        return result
    }

    func testTheSummaryMatchesAnIndependentComputationAndTheFigureIsAPNG() throws {
        let data = folder.appendingPathComponent("data").path
        try python([blueprint.appendingPathComponent("make_data.py").path, data])
        let first = try Data(contentsOf: URL(fileURLWithPath: data + "/session1.csv"))
        try python([blueprint.appendingPathComponent("make_data.py").path, data])
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: data + "/session1.csv")), first, "the sample data are the same every time")

        let out = folder.appendingPathComponent("out").path
        try python([blueprint.appendingPathComponent("spike_stats.py").path, "bucket", "neurolab/inputs/session1.csv", "results/x", "neurolab/configs/config.json"],
                   environment: ["NCAAS_INPUT": data + "/session1.csv", "NCAAS_CONFIG": data + "/config.json", "NCAAS_OUTPUT": out])

        // Independently: spike times per unit from the CSV, then count, rate, mean ISI and its CV.
        var times: [String: [Double]] = [:]
        for line in try String(contentsOfFile: data + "/session1.csv", encoding: .utf8).split(separator: "\n").dropFirst() {
            let fields = line.split(separator: ",")
            times[String(fields[0]), default: []].append(try XCTUnwrap(Double(fields[1])))
        }
        let summary = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/session1.csv_summary.json"))) as? [String: Any])
        XCTAssertEqual(summary["duration_s"] as? Double, 10)
        let units = try XCTUnwrap(summary["units"] as? [String: [String: Any]])
        XCTAssertEqual(Set(units.keys), Set(times.keys))
        for (unit, spikes) in times {
            let sorted = spikes.sorted()
            let intervals = zip(sorted.dropFirst(), sorted).map { $0 - $1 }
            let mean = intervals.reduce(0, +) / Double(intervals.count)
            let sd = (intervals.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(intervals.count)).squareRoot()
            let reported = try XCTUnwrap(units[unit])
            XCTAssertEqual(reported["spikes"] as? Int, spikes.count, unit)
            XCTAssertEqual(try XCTUnwrap(reported["rate_hz"] as? Double), Double(spikes.count) / 10, accuracy: 1e-12, unit)
            XCTAssertEqual(try XCTUnwrap(reported["mean_isi_s"] as? Double), mean, accuracy: 1e-9, unit)
            XCTAssertEqual(try XCTUnwrap(reported["cv_isi"] as? Double), sd / mean, accuracy: 1e-9, unit)
        }
        // The generator's rates come out near what it was asked for (Poisson, 10 s): a sanity check of the data.
        XCTAssertEqual(try XCTUnwrap(units["u3"]?["rate_hz"] as? Double), 20, accuracy: 4)
        XCTAssertEqual(try XCTUnwrap(units["u1"]?["rate_hz"] as? Double), 2, accuracy: 1.5)

        // The figure: a PNG, 900 pixels wide, tall enough for the raster and the bars of 4 units.
        let png = try Data(contentsOf: URL(fileURLWithPath: out + "/session1.csv_figure.png"))
        XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        XCTAssertEqual(String(decoding: png[12..<16], as: UTF8.self), "IHDR")
        func bigEndian(_ range: Range<Int>) -> Int { png[range].reduce(0) { $0 << 8 | Int($1) } }
        XCTAssertEqual(bigEndian(16..<20), 900)
        XCTAssertEqual(bigEndian(20..<24), 60 + 4 * 24 + 70 + 4 * 24 + 50)
    }
}
