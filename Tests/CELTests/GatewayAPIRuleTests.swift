import Foundation
@testable import APIMachinery
import CEL
import KubeModel
import Testing

/// Every `x-kubernetes-validations` rule of the Gateway API standard CRDs, evaluated where the
/// CRDs put it (with `self` typed from that schema node) on one value it must accept and one it
/// must reject. The cases live in testdata/gateway-api-rules.yaml.
@Suite struct GatewayAPIRuleTests {
    struct Site: Sendable {
        let location: String
        let selfType: CELType
        let rule: String
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let rule: String
        let passing: JSONValue
        let failing: JSONValue
        let oldSelf: JSONValue?
        var testDescription: String { String(rule.prefix(80)) }
    }

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let sites: [Site] = {
        let directory = repository.appendingPathComponent("Manifests/gateway-api/standard")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path))?.filter { $0.hasSuffix(".yaml") }.sorted() ?? []
        var sites: [Site] = []
        for file in files {
            guard let text = try? String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8),
                  let documents = try? JSONValue.documents(yaml: text) else { continue }
            for crd in documents where crd["kind"] == "CustomResourceDefinition" {
                for version in crd[path: ["spec", "versions"]]?.arrayValue ?? [] {
                    guard let schema = version[path: ["schema", "openAPIV3Schema"]] else { continue }
                    var errors: [FieldError] = []
                    let root = SchemaNode(schema, path: "openAPIV3Schema", errors: &errors)
                    collect(root, location: "\(file) \(version["name"]?.stringValue ?? "")", types: SchemaCELTypes(), into: &sites)
                }
            }
        }
        return sites
    }()

    private static func collect(_ node: SchemaNode, location: String, types: SchemaCELTypes, into sites: inout [Site]) {
        for rule in ValidationRule.rules(of: node) {
            sites.append(Site(location: location, selfType: types.type(of: node), rule: rule.rule))
        }
        for name in node.properties.keys.sorted() {
            collect(node.properties[name]!, location: "\(location).\(name)", types: types, into: &sites)
        }
        if let items = node.items { collect(items, location: "\(location)[]", types: types, into: &sites) }
        if let additional = node.additionalPropertiesSchema { collect(additional, location: "\(location){}", types: types, into: &sites) }
    }

    static let cases: [Case] = {
        let file = repository.appendingPathComponent("Tests/CELTests/testdata/gateway-api-rules.yaml")
        guard let text = try? String(contentsOf: file, encoding: .utf8),
              let entries = try? JSONValue.documents(yaml: text).first?.arrayValue else { return [] }
        return entries.map { entry in
            Case(rule: entry["rule"]?.stringValue ?? "", passing: entry["pass"] ?? .null, failing: entry["fail"] ?? .null, oldSelf: entry["oldSelf"])
        }
    }()

    @Test func theCRDsAreRead() {
        // v1.6.1 standard: 295 rule placements, 79 distinct rules.
        #expect(Self.sites.count == 295)
        #expect(Set(Self.sites.map(\.rule)).count == 79)
    }

    @Test func everyRuleHasACaseAndEveryCaseARule() {
        let known = Set(Self.cases.map(\.rule))
        let used = Set(Self.sites.map(\.rule))
        for rule in used.subtracting(known).sorted() {
            Issue.record("no passing/failing values for rule: \(rule)")
        }
        for rule in known.subtracting(used).sorted() {
            Issue.record("case for a rule the CRDs do not have: \(rule)")
        }
    }

    @Test(arguments: cases) func acceptsThePassingAndRejectsTheFailingValue(_ testCase: Case) throws {
        let sites = Self.sites.filter { $0.rule == testCase.rule }
        #expect(!sites.isEmpty)
        for site in sites {
            let program = try CELProgram(site.rule, variables: ["self": site.selfType, "oldSelf": site.selfType])
            #expect(program.resultType == .bool, "\(site.location)")
            var bindings: [String: CELValue] = [:]
            if let old = testCase.oldSelf { bindings["oldSelf"] = CELValue(json: old, type: site.selfType) }
            bindings["self"] = CELValue(json: testCase.passing, type: site.selfType)
            #expect(try program.evaluate(bindings) == .bool(true), "passing value at \(site.location)")
            bindings["self"] = CELValue(json: testCase.failing, type: site.selfType)
            #expect(try program.evaluate(bindings) == .bool(false), "failing value at \(site.location)")
        }
    }
}
