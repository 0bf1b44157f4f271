import APIMachinery
import KubeModel
import Testing

/// Validation rules run through `StructuralSchema.validate(_:old:)`, as the API server runs them
/// on create and update: messages, message expressions, reasons, field paths, transition rules,
/// ratcheting, and the errors a CRD with broken rules gets.
@Suite struct SchemaRuleValidationTests {
    private func schema(_ spec: JSONValue, rootRules: JSONValue? = nil) throws -> StructuralSchema {
        var root: JSONValue = ["type": "object", "properties": ["spec": spec]]
        if let rootRules { root["x-kubernetes-validations"] = rootRules }
        return try StructuralSchema(root)
    }

    private let pathMatch: JSONValue = [
        "type": "object",
        "properties": [
            "rules": [
                "type": "array",
                "items": [
                    "type": "object",
                    "properties": [
                        "path": [
                            "type": "object",
                            "properties": ["type": ["type": "string"], "value": ["type": "string"]],
                            "x-kubernetes-validations": [[
                                "rule": "(self.type in ['Exact','PathPrefix']) ? self.value.startsWith('/') : true",
                                "message": "value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']",
                            ]],
                        ],
                    ],
                ],
            ],
        ],
    ]

    @Test func failingRuleIsReportedLikeTheAPIServer() throws {
        let schema = try schema(pathMatch)
        let bad: JSONValue = ["spec": ["rules": [["path": ["type": "PathPrefix", "value": "/ok"]], ["path": ["type": "Exact", "value": "nope"]]]]]
        let errors = schema.validate(bad)
        #expect(errors.map(\.message) == [
            #"spec.rules[1].path: Invalid value: "object": value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']"#,
        ])
        #expect(schema.validate(["spec": ["rules": [["path": ["type": "Exact", "value": "/a"]]]]]).isEmpty)
    }

    @Test func defaultMessageNamesTheRuleAndRootErrorsHaveNoPath() throws {
        let schema = try schema(["type": "object", "properties": ["replicas": ["type": "integer"]]],
                                rootRules: [["rule": "self.spec.replicas < 10"]])
        #expect(schema.validate(["spec": ["replicas": 20]]).map(\.message) == [
            #"<nil>: Invalid value: "object": failed rule: self.spec.replicas < 10"#,
        ])
        #expect(schema.validate(["spec": ["replicas": 2]]).isEmpty)
    }

    @Test func runtimeErrorsAreReportedNotTreatedAsFalse() throws {
        let schema = try schema(["type": "object", "properties": ["replicas": ["type": "integer"]],
                                 "x-kubernetes-validations": [["rule": "self.replicas > 1"]]])
        #expect(schema.validate(["spec": [:]]).map(\.message) == [
            #"spec: Invalid value: "object": no such key: replicas evaluating rule: self.replicas > 1"#,
        ])
    }

    @Test func messageExpressionReasonAndFieldPath() throws {
        let spec: JSONValue = [
            "type": "object",
            "properties": ["min": ["type": "integer"], "max": ["type": "integer"], "labels": ["type": "object", "additionalProperties": ["type": "string"]]],
            "x-kubernetes-validations": [
                ["rule": "self.min <= self.max", "messageExpression": "'min ' + string(self.min) + ' exceeds max ' + string(self.max)",
                 "fieldPath": ".min"],
                ["rule": "!has(self.labels) || !('forbidden' in self.labels)", "message": "forbidden label", "reason": "FieldValueForbidden",
                 "fieldPath": ".labels"],
                ["rule": "self.max < 100", "message": "too big", "reason": "FieldValueRequired"],
                ["rule": "self.max != 50", "messageExpression": "''", "message": "fallback used"],
            ],
        ]
        let schema = try schema(spec)
        let errors = schema.validate(["spec": ["min": 5, "max": 3, "labels": ["forbidden": "x"]]])
        #expect(errors.map(\.message) == [
            #"spec.min: Invalid value: "object": min 5 exceeds max 3"#,
            "spec.labels: Forbidden: forbidden label",
        ])
        #expect(errors.map(\.kind) == [.invalid, .forbidden])
        #expect(schema.validate(["spec": ["min": 5, "max": 500]]).map(\.message) == ["spec: Required value: too big"])
        #expect(schema.validate(["spec": ["min": 5, "max": 50]]).map(\.message) == [#"spec: Invalid value: "object": fallback used"#])
    }

    @Test func transitionRulesRunOnlyOnUpdate() throws {
        let schema = try schema(["type": "object", "properties": ["name": [
            "type": "string", "x-kubernetes-validations": [["rule": "self == oldSelf", "message": "name is immutable"]],
        ]]])
        #expect(schema.validate(["spec": ["name": "a"]]).isEmpty)
        #expect(schema.validate(["spec": ["name": "a"]], old: ["spec": ["name": "a"]]).isEmpty)
        #expect(schema.validate(["spec": ["name": "b"]], old: ["spec": ["name": "a"]]).map(\.message) == [
            #"spec.name: Invalid value: "string": name is immutable"#,
        ])
        // No old value to correlate with: the rule does not run.
        #expect(schema.validate(["spec": ["name": "b"]], old: ["spec": [:]]).isEmpty)
    }

    @Test func optionalOldSelfRunsOnCreateWithAnEmptyOptional() throws {
        let schema = try schema(["type": "object", "properties": ["name": [
            "type": "string",
            "x-kubernetes-validations": [["rule": "oldSelf.hasValue() ? self == oldSelf.value() : self.startsWith('a')",
                                          "optionalOldSelf": true, "message": "must start with a, then never change"]],
        ]]])
        #expect(schema.validate(["spec": ["name": "abc"]]).isEmpty)
        #expect(schema.validate(["spec": ["name": "xyz"]]).map(\.message) == [#"spec.name: Invalid value: "string": must start with a, then never change"#])
        #expect(schema.validate(["spec": ["name": "xyz"]], old: ["spec": ["name": "xyz"]]).isEmpty)
    }

    @Test func mapListItemsCorrelateByKey() throws {
        let schema = try schema(["type": "object", "properties": ["ports": [
            "type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"],
            "items": ["type": "object", "required": ["name"],
                      "properties": ["name": ["type": "string"], "port": ["type": "integer"]],
                      "x-kubernetes-validations": [["rule": "self.port >= oldSelf.port", "message": "port may only grow"]]],
        ]]])
        let old: JSONValue = ["spec": ["ports": [["name": "a", "port": 80], ["name": "b", "port": 90]]]]
        let new: JSONValue = ["spec": ["ports": [["name": "b", "port": 85], ["name": "a", "port": 81], ["name": "c", "port": 1]]]]
        #expect(schema.validate(new, old: old).map(\.message) == [#"spec.ports[0]: Invalid value: "object": port may only grow"#])
    }

    @Test func ratchetingLetsUnchangedInvalidValuesStand() throws {
        let schema = try schema(["type": "object", "properties": [
            "host": ["type": "string", "x-kubernetes-validations": [["rule": "self.endsWith('.example.com')", "message": "wrong domain"]]],
            "replicas": ["type": "integer"],
        ]])
        let old: JSONValue = ["spec": ["host": "legacy.test", "replicas": 1]]
        // The host is unchanged, so the rule's failure is not new.
        #expect(schema.validate(["spec": ["host": "legacy.test", "replicas": 2]], old: old).isEmpty)
        // Changing it to another bad value is refused; so is a create.
        #expect(schema.validate(["spec": ["host": "other.test", "replicas": 2]], old: old).map(\.message) == [#"spec.host: Invalid value: "string": wrong domain"#])
        #expect(schema.validate(["spec": ["host": "legacy.test"]]).count == 1)
    }

    @Test func ratchetingAlsoCoversOpenAPIChecks() throws {
        let schema = try schema(["type": "object", "properties": [
            "name": ["type": "string", "maxLength": 3],
            "replicas": ["type": "integer"],
            "ports": ["type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"],
                      "items": ["type": "object", "required": ["name"],
                                "properties": ["name": ["type": "string"], "port": ["type": "integer", "maximum": 100]]]],
        ]])
        let old: JSONValue = ["spec": ["name": "toolong", "replicas": 1, "ports": [["name": "a", "port": 500]]]]
        #expect(schema.validate(["spec": ["name": "toolong", "replicas": 2, "ports": [["name": "b", "port": 5], ["name": "a", "port": 500]]]],
                                old: old).isEmpty)
        #expect(schema.validate(["spec": ["name": "toolonger", "replicas": 2, "ports": [["name": "a", "port": 501]]]], old: old).map(\.message) == [
            "spec.name: Too long: may not be more than 3 bytes",
            "spec.ports[0].port: Invalid value: 501: spec.ports[0].port in body should be less than or equal to 100",
        ])
    }

    @Test func rulesInAllOfSubschemasRunWithTheNodesType() throws {
        let schema = try schema(["type": "object",
                                 "properties": ["a": ["type": "integer"], "b": ["type": "integer"]],
                                 "allOf": [["x-kubernetes-validations": [["rule": "self.a < self.b", "message": "a must be below b"]],
                                            "properties": ["b": ["x-kubernetes-validations": [["rule": "self != 7", "message": "not seven"]]]]]]])
        #expect(schema.validate(["spec": ["a": 1, "b": 2]]).isEmpty)
        #expect(schema.validate(["spec": ["a": 9, "b": 7]]).map(\.message) == [
            #"spec: Invalid value: "object": a must be below b"#,
            #"spec.b: Invalid value: "integer": not seven"#,
        ])
        #expect(try StructuralSchema(["type": "object", "properties": ["spec": ["type": "object", "properties": ["a": ["type": "integer"]],
                                                                                  "allOf": [["x-kubernetes-validations": [["rule": "self.z"]]]]]]])
            .validationRuleErrors.map(\.field) == ["openAPIV3Schema.properties[spec].allOf[0].x-kubernetes-validations[0].rule"])
    }

    @Test func aRuleThatRunsAwayStopsValidation() throws {
        let schema = try schema(["type": "object", "properties": ["items": [
            "type": "array", "items": ["type": "integer"],
            "x-kubernetes-validations": [["rule": "self.all(a, self.all(b, a == b || a != b))", "message": "quadratic"],
                                         ["rule": "self.size() < 0", "message": "never reached"]],
        ]]])
        let items = JSONValue.array((0..<600).map { .int(Int64($0)) })
        #expect(schema.validate(["spec": ["items": items]]).map(\.message) == [
            #"spec.items: Invalid value: "array": 'operation cancelled: actual cost limit exceeded': no further validation rules will be run due to call cost exceeds limit for rule: quadratic"#,
        ])
    }

    @Test func rulesAreSkippedWhenTheObjectHasTheWrongShape() throws {
        let schema = try schema(["type": "object", "properties": ["replicas": ["type": "integer"]],
                                 "x-kubernetes-validations": [["rule": "self.replicas > 1"]]])
        let messages = schema.validate(["spec": ["replicas": "three"]]).map(\.message)
        #expect(messages.last == "<nil>: Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation")
    }

    @Test func escapedPropertyNamesAndResourceRootFields() throws {
        let schema = try schema(["type": "object", "properties": ["x-y": ["type": "string"], "namespace": ["type": "string"]],
                                 "x-kubernetes-validations": [["rule": "self.x__dash__y == self.__namespace__"]]],
                                rootRules: [["rule": "self.metadata.name.startsWith('ok') && self.kind == 'Thing'", "message": "bad name"]])
        #expect(schema.validate(["kind": "Thing", "metadata": ["name": "ok-1"], "spec": ["x-y": "a", "namespace": "a"]]).isEmpty)
        #expect(schema.validate(["kind": "Thing", "metadata": ["name": "no"], "spec": ["x-y": "a", "namespace": "b"]]).map(\.message) == [
            #"<nil>: Invalid value: "object": bad name"#,
            #"spec: Invalid value: "object": failed rule: self.x__dash__y == self.__namespace__"#,
        ])
    }

    @Test func brokenRulesAreFoundWhenTheSchemaIsBuilt() throws {
        let spec: JSONValue = [
            "type": "object",
            "properties": ["replicas": ["type": "integer"], "items": ["type": "array", "items": [
                "type": "string", "x-kubernetes-validations": [["rule": "self == oldSelf"]],
            ]]],
            "x-kubernetes-validations": [
                ["rule": "self.foo == 1"],
                ["rule": "self.replicas"],
                ["rule": "self.replicas > 1", "message": "two\nlines"],
                ["rule": "self.replicas > 1", "reason": "FieldValueBogus"],
                ["rule": "self.replicas > 1", "fieldPath": ".nothing"],
                ["rule": "self.replicas > 1", "messageExpression": "self.replicas"],
                ["rule": "self.replicas > 1", "optionalOldSelf": true],
            ],
        ]
        let errors = try schema(spec).validationRuleErrors
        let base = "openAPIV3Schema.properties[spec]"
        #expect(errors.map(\.field) == [
            "\(base).x-kubernetes-validations[0].rule",
            "\(base).x-kubernetes-validations[1].rule",
            "\(base).x-kubernetes-validations[2].message",
            "\(base).x-kubernetes-validations[3].reason",
            "\(base).x-kubernetes-validations[4].fieldPath",
            "\(base).x-kubernetes-validations[5].messageExpression",
            "\(base).x-kubernetes-validations[6].optionalOldSelf",
            "\(base).properties[items].items.x-kubernetes-validations[0].rule",
        ])
        #expect(errors[0].detail == "compilation failed: ERROR: <input>:1:5: undefined field 'foo'\n | self.foo == 1\n | ....^")
        #expect(errors[0].causeMessage.hasPrefix(
            #"Invalid value: apiextensions.ValidationRule{Rule:"self.foo == 1", Message:"", MessageExpression:"", Reason:(*apiextensions.FieldValueErrorReason)(nil), FieldPath:"", OptionalOldSelf:(*bool)(nil)}: compilation failed: "#))
        #expect(errors[1].detail == "cel expression must evaluate to a bool")
        #expect(errors[2].detail == "message must not contain line breaks")
        #expect(errors[3].causeMessage == #"Unsupported value: "FieldValueBogus": supported values: "FieldValueDuplicate", "FieldValueForbidden", "FieldValueInvalid", "FieldValueRequired""#)
        #expect(errors[4].detail == "fieldPath must be a valid path")
        #expect(errors[5].detail == "messageExpression must evaluate to a string")
        #expect(errors[6].detail == "may not be set if oldSelf is not used in rule")
        #expect(errors[7].detail == "oldSelf cannot be used on the uncorrelatable portion of the schema within \(base).properties[items]")
    }
}
