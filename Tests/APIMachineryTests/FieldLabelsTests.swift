import Testing
import KubeModel
@testable import APIMachinery

@Suite struct FieldLabelsTests {
    let pod = json(#"{"metadata":{"name":"p","namespace":"d"},"spec":{"nodeName":"n1"},"status":{"phase":"Running","podIPs":[{"ip":"10.0.0.1"}]}}"#)

    @Test func podFields() throws {
        let fields = FieldLabels.fields(of: pod, group: "", kind: "Pod")
        #expect(fields["spec.nodeName"] == "n1")
        #expect(fields["spec.hostNetwork"] == "false")
        #expect(fields["status.podIPs"] == "10.0.0.1")
        #expect(try FieldSelector(parsing: "status.phase=Running,spec.nodeName!=n2").matches(fields))
    }

    @Test func customResourceSelectableFields() throws {
        let widget = json(#"{"metadata":{"name":"w"},"spec":{"color":"blue","size":3}}"#)
        let fields = FieldLabels.fields(of: widget, group: "example.com", kind: "Widget", selectableFields: [".spec.color", ".spec.size"])
        #expect(fields["spec.color"] == "blue")
        #expect(fields["spec.size"] == "3")
    }

    @Test(arguments: [
        ("spec.nodeName=x", "", "Pod", true, false, nil),
        ("spec.foo=x", "", "Pod", true, false, "field label not supported: spec.foo"),
        ("data.x=y", "", "ConfigMap", true, false, "\"data.x\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\""),
        ("metadata.namespace=d", "example.com", "Cluster", false, true, "field label not supported: metadata.namespace"),
        ("spec.color=red", "example.com", "Widget", true, true, nil),
        ("spec.size=1", "example.com", "Widget", true, true, "field label not supported: spec.size"),
    ] as [(String, String, String, Bool, Bool, String?)])
    func validation(selector: String, group: String, kind: String, namespaced: Bool, custom: Bool, message: String?) throws {
        let parsed = try FieldSelector(parsing: selector)
        if let message {
            #expect(throws: SelectorError(message)) {
                try FieldLabels.validate(parsed, group: group, kind: kind, namespaced: namespaced, isCustomResource: custom, selectableFields: [".spec.color"])
            }
        } else {
            try FieldLabels.validate(parsed, group: group, kind: kind, namespaced: namespaced, isCustomResource: custom, selectableFields: [".spec.color"])
        }
    }
}
