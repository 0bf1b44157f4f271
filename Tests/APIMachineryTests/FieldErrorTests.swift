import Testing
import KubeModel
@testable import APIMachinery

@Suite struct FieldErrorTests {
    @Test(arguments: [
        (FieldError(kind: .invalid, field: "spec.replicas", badValue: 200, detail: "spec.replicas in body should be less than or equal to 100"),
         "spec.replicas: Invalid value: 200: spec.replicas in body should be less than or equal to 100"),
        (FieldError.required("spec.selector"), "spec.selector: Required value"),
        (FieldError.required("metadata.name", "name or generateName is required"), "metadata.name: Required value: name or generateName is required"),
        (FieldError.typeInvalid("spec.replicas", "string", "spec.replicas in body must be of type integer: \"string\""),
         "spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\""),
        (FieldError.notSupported("spec.mode", "x", supported: ["Fast", "Slow"]),
         "spec.mode: Unsupported value: \"x\": supported values: \"Fast\", \"Slow\""),
        (FieldError.tooLong("spec.name", maxBytes: 5), "spec.name: Too long: may not be more than 5 bytes"),
        (FieldError.tooLong("spec.name", maxBytes: 1), "spec.name: Too long: may not be more than 1 byte"),
        (FieldError.tooMany("spec.items", actual: 3, max: 2), "spec.items: Too many: 3: must have at most 2 items"),
        (FieldError.duplicate("spec.ports[1]", json(#"{"name":"http"}"#)), "spec.ports[1]: Duplicate value: {\"name\":\"http\"}"),
        (FieldError.invalid("spec.ratio", .double(1.5), "bad"), "spec.ratio: Invalid value: 1.5: bad"),
        (FieldError.invalid("spec.big", .double(1e6), "bad"), "spec.big: Invalid value: 1e+06: bad"),
        (FieldError.invalid("spec.small", .double(0.0001), "bad"), "spec.small: Invalid value: 0.0001: bad"),
        (FieldError.invalid("spec.tiny", .double(0.00001), "bad"), "spec.tiny: Invalid value: 1e-05: bad"),
        (FieldError.invalid("spec.flag", true, "bad"), "spec.flag: Invalid value: true: bad"),
        (FieldError.invalid("spec.x", .null, "bad"), "spec.x: Invalid value: null: bad"),
        (FieldError.invalid("spec.list", ["a", 1], "bad"), "spec.list: Invalid value: [\"a\",1]: bad"),
        (FieldError.invalid("spec.q", "say \"hi\"\n", "bad"), "spec.q: Invalid value: \"say \\\"hi\\\"\\n\": bad"),
        (FieldError.forbidden("spec.x", "may not be set"), "spec.x: Forbidden: may not be set"),
        (FieldError(kind: .invalid, field: "spec.x", badValue: nil, detail: "no value shown"), "spec.x: Invalid value: no value shown"),
    ])
    func messages(error: FieldError, expected: String) {
        #expect(error.message == expected)
        #expect(error.message == error.field + ": " + error.causeMessage)
    }

    @Test func causeCarriesReasonFieldAndBody() {
        let error = FieldError.required("spec.selector")
        #expect(error.cause == APIStatus.Cause(reason: "FieldValueRequired", message: "Required value", field: "spec.selector"))
    }

    @Test func aggregateMessageBracketsSeveralAndDropsDuplicates() {
        let a = FieldError.required("a")
        let b = FieldError.required("b")
        #expect(FieldError.aggregateMessage([a]) == "a: Required value")
        #expect(FieldError.aggregateMessage([a, b, a]) == "[a: Required value, b: Required value]")
        #expect(FieldError.aggregateMessage([]) == "")
    }

    @Test(arguments: [
        (1.0, "1"), (100.0, "100"), (123456.0, "123456"), (1234567.0, "1.234567e+06"), (-2.5, "-2.5"),
        (1e21, "1e+21"), (0.1, "0.1"), (3.14159, "3.14159"),
    ])
    func goFloatFormatting(value: Double, expected: String) {
        #expect(GoFormatting.float(value) == expected)
    }

    @Test(arguments: [(1e21, "1e+21"), (1e20, "100000000000000000000"), (0.000001, "0.000001"), (1e-7, "1e-07"), (2.5, "2.5")])
    func goJSONFloatFormatting(value: Double, expected: String) {
        #expect(GoFormatting.jsonFloat(value) == expected)
    }
}

@Suite struct InvalidStatusTests {
    @Test func invalidStatusListsEveryCause() {
        let status = APIStatus.invalid(group: "example.com", kind: "Widget", name: "w", errors: [
            .required("spec.image"),
            FieldError(kind: .invalid, field: "spec.replicas", badValue: 200, detail: "spec.replicas in body should be less than or equal to 100"),
        ])
        #expect(status.code == 422)
        #expect(status.reason == "Invalid")
        #expect(status.message == "Widget.example.com \"w\" is invalid: [spec.image: Required value, spec.replicas: Invalid value: 200: spec.replicas in body should be less than or equal to 100]")
        #expect(status.details?.causes?.map(\.reason) == ["FieldValueRequired", "FieldValueInvalid"])
        #expect(status.details?.kind == "Widget")
    }

    @Test func coreGroupKindHasNoSuffix() {
        let status = APIStatus.invalid(group: "", kind: "ConfigMap", name: "c", errors: [.required("data")])
        #expect(status.message == "ConfigMap \"c\" is invalid: data: Required value")
    }
}
