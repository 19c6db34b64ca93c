import XCTest
@testable import AWS

final class XMLTreeTests: XCTestCase {
    func testParsesEC2ReplyWithNamespaceListsAndEscapes() throws {
        let xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
          <reservationSet>
            <item><instancesSet>
              <item><instanceId>i-1</instanceId><tagSet><item><key>a&amp;b</key><value>&lt;x&gt;</value></item></tagSet></item>
              <item><instanceId>i-2</instanceId></item>
            </instancesSet></item>
          </reservationSet>
          <nextToken>tok</nextToken>
        </DescribeInstancesResponse>
        """
        let root = try XMLTreeElement.parse(Data(xml.utf8))
        XCTAssertEqual(root.name, "DescribeInstancesResponse")
        let instances = root.list("reservationSet").flatMap { $0.list("instancesSet") }
        XCTAssertEqual(instances.compactMap { $0.string("instanceId") }, ["i-1", "i-2"])
        XCTAssertEqual(Tag.list(instances[0]), [Tag(key: "a&b", value: "<x>")])
        XCTAssertEqual(root.string("nextToken"), "tok")
        XCTAssertEqual(root["reservationSet", "item", "instancesSet", "item", "instanceId"]?.text, "i-1")
    }

    func testMalformedDocumentThrows() {
        XCTAssertThrowsError(try XMLTreeElement.parse(Data("<a><b></a>".utf8))) { error in
            XCTAssertTrue(error is XMLTreeError, "\(error)")
        }
        XCTAssertThrowsError(try XMLTreeElement.parse(Data()))
    }

    func testWriterEscapesTextAndRoundTrips() throws {
        var writer = XMLWriter()
        writer.element("Root", namespace: "urn:x") { $0.element("Key", text: "a<&>\"'b") }
        let parsed = try XMLTreeElement.parse(Data(writer.document.utf8))
        XCTAssertEqual(parsed.string("Key"), "a<&>\"'b")
    }
}
