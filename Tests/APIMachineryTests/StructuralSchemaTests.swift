import Testing
import KubeModel
@testable import APIMachinery

/// A CRD-like schema used across the schema tests.
let widgetSchema = json(#"""
{
  "type": "object",
  "properties": {
    "apiVersion": {"type": "string"},
    "kind": {"type": "string"},
    "metadata": {"type": "object"},
    "spec": {
      "type": "object",
      "required": ["image"],
      "properties": {
        "image": {"type": "string", "minLength": 3, "maxLength": 20, "pattern": "^[a-z]+(:[a-z0-9.]+)?$"},
        "replicas": {"type": "integer", "minimum": 0, "maximum": 100, "default": 1},
        "ratio": {"type": "number", "exclusiveMinimum": true, "minimum": 0, "multipleOf": 0.5},
        "mode": {"type": "string", "enum": ["Fast", "Slow"], "default": "Fast"},
        "port": {"x-kubernetes-int-or-string": true},
        "created": {"type": "string", "format": "date-time"},
        "blob": {"type": "string", "format": "byte"},
        "count32": {"type": "integer", "format": "int32"},
        "note": {"type": "string", "nullable": true},
        "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 2, "x-kubernetes-list-type": "set"},
        "ports": {
          "type": "array", "minItems": 1,
          "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"],
          "items": {"type": "object", "required": ["name"], "properties": {
            "name": {"type": "string"},
            "port": {"type": "integer", "default": 80},
            "protocol": {"type": "string", "default": "TCP"}
          }}
        },
        "labels": {"type": "object", "additionalProperties": {"type": "string"}, "maxProperties": 2},
        "extra": {"type": "object", "x-kubernetes-preserve-unknown-fields": true, "properties": {"known": {"type": "string"}}},
        "template": {
          "type": "object", "x-kubernetes-embedded-resource": true, "x-kubernetes-preserve-unknown-fields": true
        },
        "choice": {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
                   "oneOf": [{"required": ["a"]}, {"required": ["b"]}]},
        "defaulted": {"type": "object", "default": {}, "properties": {"level": {"type": "string", "default": "info"}}}
      }
    },
    "status": {"type": "object", "properties": {"ready": {"type": "boolean"}}}
  }
}
"""#)

private func messages(_ errors: [FieldError]) -> [String] { errors.map(\.message) }

@Suite struct SchemaValidationTests {
    let schema: StructuralSchema

    init() throws { schema = try StructuralSchema(widgetSchema) }

    private func errors(spec: String) -> [String] {
        messages(schema.validate(json(#"{"apiVersion":"x/v1","kind":"Widget","metadata":{"name":"w"},"spec":\#(spec)}"#)))
    }

    @Test func validObjectHasNoErrors() {
        #expect(errors(spec: #"{"image":"nginx:1.25","replicas":3,"ratio":1.5,"mode":"Slow","port":"http","created":"2024-01-02T03:04:05Z","blob":"aGk=","ports":[{"name":"a"},{"name":"b"}],"tags":["x","y"],"labels":{"a":"b"},"note":null,"template":{"apiVersion":"v1","kind":"Pod","anything":1},"choice":{"a":"x"}}"#) == [])
    }

    @Test(arguments: [
        (#"{"image":"nginx","replicas":200}"#, ["spec.replicas: Invalid value: 200: spec.replicas in body should be less than or equal to 100"]),
        (#"{"image":"nginx","replicas":-1}"#, ["spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or equal to 0"]),
        (#"{"image":"nginx","replicas":"3"}"#, ["spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\""]),
        (#"{"image":"nginx","replicas":1.5}"#, ["spec.replicas: Invalid value: \"number\": spec.replicas in body must be of type integer: \"number\""]),
        (#"{"image":"nginx","replicas":2.0}"#, []),
        (#"{}"#, ["spec.image: Required value"]),
        (#"{"image":"ab"}"#, ["spec.image: Invalid value: \"ab\": spec.image in body should be at least 3 chars long"]),
        (#"{"image":"abcdefghijklmnopqrstuvwxyz"}"#, ["spec.image: Too long: may not be more than 20 bytes"]),
        (#"{"image":"NGINX"}"#, ["spec.image: Invalid value: \"NGINX\": spec.image in body should match '^[a-z]+(:[a-z0-9.]+)?$'"]),
        (#"{"image":"nginx","mode":"Medium"}"#, ["spec.mode: Unsupported value: \"Medium\": supported values: \"Fast\", \"Slow\""]),
        (#"{"image":"nginx","ratio":-0.5}"#, ["spec.ratio: Invalid value: -0.5: spec.ratio in body should be greater than 0"]),
        // kube-openapi truncates a fractional multipleOf for integer values, then rejects the factor.
        (#"{"image":"nginx","ratio":1}"#, ["spec.ratio: Invalid value: 0: factor MultipleOf declared for spec.ratio must be positive: 0"]),
        (#"{"image":"nginx","ratio":0.7}"#, ["spec.ratio: Invalid value: 0.7: spec.ratio in body should be a multiple of 0.5"]),
        (#"{"image":"nginx","port":true}"#, ["spec.port: Invalid value: \"boolean\": spec.port in body must be of type integer,string: \"boolean\""]),
        (#"{"image":"nginx","port":8080}"#, []),
        (#"{"image":"nginx","created":"yesterday"}"#, ["spec.created: Invalid value: \"yesterday\": spec.created in body must be of type date-time: \"yesterday\""]),
        (#"{"image":"nginx","blob":"not base64!"}"#, ["spec.blob: Invalid value: \"not base64!\": spec.blob in body must be of type byte: \"not base64!\""]),
        (#"{"image":"nginx","count32":3000000000}"#, ["<nil>: Invalid value: \"\": Checked value must be of type integer with format int32 in spec.count32"]),
        (#"{"image":"nginx","tags":["a","b","c"]}"#, ["spec.tags: Too many: 3: must have at most 2 items"]),
        (#"{"image":"nginx","tags":["a","a"]}"#, ["spec.tags[1]: Duplicate value: \"a\""]),
        (#"{"image":"nginx","ports":[]}"#, ["spec.ports: Invalid value: 0: spec.ports in body should have at least 1 items"]),
        (#"{"image":"nginx","ports":[{"name":"a"},{"name":"a","port":1}]}"#, ["spec.ports[1]: Duplicate value: {\"name\":\"a\"}"]),
        (#"{"image":"nginx","ports":[{"port":1}]}"#, ["spec.ports[0].name: Required value"]),
        (#"{"image":"nginx","labels":{"a":"b","c":"d","e":"f"}}"#, ["spec.labels: Too many: 3: must have at most 2 items"]),
        (#"{"image":"nginx","labels":{"a":1}}"#, ["spec.labels.a: Invalid value: \"integer\": spec.labels.a in body must be of type string: \"integer\""]),
        (#"{"image":"nginx","note":null,"mode":null}"#, ["spec.mode: Invalid value: \"null\": spec.mode in body must be of type string: \"null\"", "spec.mode: Unsupported value: null: supported values: \"Fast\", \"Slow\""]),
        (#"{"image":"nginx","template":{"kind":"Pod"}}"#, ["spec.template.apiVersion: Required value"]),
        (#"{"image":"nginx","choice":{}}"#, ["<nil>: Invalid value: \"\": \"spec.choice\" must validate one and only one schema (oneOf). Found none valid", "spec.choice.a: Required value"]),
        (#"{"image":"nginx","choice":{"a":"x","b":"y"}}"#, ["<nil>: Invalid value: \"\": \"spec.choice\" must validate one and only one schema (oneOf). Found 2 valid alternatives"]),
    ])
    func errorMessages(spec: String, expected: [String]) {
        #expect(errors(spec: spec) == expected)
    }

    @Test func rootServerFieldsAreSkippedButTypesOfOthersChecked() {
        let result = messages(schema.validate(json(#"{"apiVersion":1,"kind":[],"metadata":"x","spec":{"image":"nginx"},"status":{"ready":"yes"}}"#)))
        #expect(result == ["status.ready: Invalid value: \"string\": status.ready in body must be of type boolean: \"string\""])
    }

    @Test func composedValidations() throws {
        let composed = try StructuralSchema(json(#"""
            {"type":"object","properties":{"v":{"type":"integer","anyOf":[{"minimum":10},{"maximum":0}],"not":{"enum":[42]},"allOf":[{"multipleOf":2}]}}}
            """#))
        #expect(messages(composed.validate(json(#"{"v":4}"#))) == [
            "<nil>: Invalid value: \"\": \"v\" must validate at least one schema (anyOf)",
            "v: Invalid value: 4: v in body should be greater than or equal to 10",
        ])
        #expect(messages(composed.validate(json(#"{"v":42}"#))) == ["<nil>: Invalid value: \"\": \"v\" must not validate the schema (not)"])
        #expect(messages(composed.validate(json(#"{"v":13}"#))) == [
            "v: Invalid value: 13: v in body should be a multiple of 2",
            "<nil>: Invalid value: \"\": \"v\" must validate all the schemas (allOf). None validated",
        ])
    }
}

@Suite struct SchemaDefaultingTests {
    let schema: StructuralSchema
    init() throws { schema = try StructuralSchema(widgetSchema) }

    @Test func fillsMissingFieldsItemsAndDefaultedObjects() {
        let result = schema.applyingDefaults(json(#"{"apiVersion":"x/v1","kind":"Widget","spec":{"image":"nginx","ports":[{"name":"a"},{"name":"b","port":8080}]}}"#))
        #expect(result == json(#"""
            {"apiVersion":"x/v1","kind":"Widget","spec":{"image":"nginx","replicas":1,"mode":"Fast",
             "defaulted":{"level":"info"},
             "ports":[{"name":"a","port":80,"protocol":"TCP"},{"name":"b","port":8080,"protocol":"TCP"}]}}
            """#))
    }

    @Test func nullsAreDefaultedOrPrunedUnlessNullable() {
        let result = schema.applyingDefaults(json(#"{"spec":{"image":"nginx","replicas":null,"ratio":null,"note":null,"defaulted":{"level":"debug"}}}"#))
        #expect(result == json(#"{"spec":{"image":"nginx","replicas":1,"mode":"Fast","note":null,"defaulted":{"level":"debug"}}}"#))
    }

    @Test func defaultingIsIdempotent() {
        let once = schema.applyingDefaults(json(#"{"spec":{"image":"nginx"}}"#))
        #expect(schema.applyingDefaults(once) == once)
    }
}

@Suite struct SchemaPruningTests {
    let schema: StructuralSchema
    init() throws { schema = try StructuralSchema(widgetSchema) }

    @Test func dropsUnknownFieldsAndReportsTheirPaths() {
        let (pruned, unknown) = schema.pruning(json(#"""
            {"apiVersion":"x/v1","kind":"Widget","metadata":{"name":"w","whatever":1},"bogus":true,
             "spec":{"image":"nginx","imagePullPolicy":"Always","ports":[{"name":"a","weight":3}],
                     "extra":{"known":"k","free":{"x":1}},
                     "template":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","junk":true},"spec":{"containers":[]}}},
             "status":{"ready":true,"phase":"Up"}}
            """#))
        #expect(unknown == ["bogus", "metadata.whatever", "spec.imagePullPolicy", "spec.ports[0].weight", "spec.template.metadata.junk", "status.phase"])
        #expect(pruned == json(#"""
            {"apiVersion":"x/v1","kind":"Widget","metadata":{"name":"w"},
             "spec":{"image":"nginx","ports":[{"name":"a"}],"extra":{"known":"k","free":{"x":1}},
                     "template":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[]}}},
             "status":{"ready":true}}
            """#))
    }

    @Test func keepsEverythingKnown() {
        let object = json(#"{"apiVersion":"x/v1","kind":"Widget","spec":{"image":"nginx","labels":{"a":"b"}}}"#)
        let (pruned, unknown) = schema.pruning(object)
        #expect(pruned == object)
        #expect(unknown.isEmpty)
    }
}

@Suite struct StructuralChecksTests {
    @Test(arguments: [
        (#"{"type":"object","properties":{"spec":{"properties":{"a":{"type":"string"}}}}}"#,
         "openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields"),
        (#"{"type":"object","properties":{"list":{"type":"array"}}}"#,
         "openAPIV3Schema.properties[list].items: Required value: must be specified"),
        (#"{"type":"string"}"#, "openAPIV3Schema.type: Invalid value: \"string\": must be object at the root"),
        (#"{"properties":{}}"#, "openAPIV3Schema.type: Required value: must not be empty at the root"),
        (#"{"type":"object","properties":{"a":{"type":"string","anyOf":[{"type":"string"}]}}}"#,
         "openAPIV3Schema.properties[a].anyOf[0].type: Forbidden: must be empty to be structural"),
        (#"{"type":"object","properties":{"a":{"type":"object","properties":{"b":{"type":"string"}},"additionalProperties":false}}}"#,
         "openAPIV3Schema.properties[a].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive"),
        (#"{"type":"object","properties":{"a":{"type":"array","x-kubernetes-list-type":"map","items":{"type":"object","properties":{"n":{"type":"string"}}}}}}"#,
         "openAPIV3Schema.properties[a].x-kubernetes-list-map-keys: Required value: must not be empty if x-kubernetes-list-type is map"),
        (#"{"type":"object","properties":{"a":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["id"],"items":{"type":"object","properties":{"n":{"type":"string"}}}}}}"#,
         "openAPIV3Schema.properties[a].x-kubernetes-list-map-keys: Invalid value: [\"id\"]: entries must all be names of item properties"),
        (#"{"type":"object","properties":{"a":{"type":"string","x-kubernetes-list-type":"set"}}}"#,
         "openAPIV3Schema.properties[a].type: Invalid value: \"string\": must be array if x-kubernetes-list-type is specified"),
        (#"{"type":"object","properties":{"a":{"type":"object","x-kubernetes-preserve-unknown-fields":false}}}"#,
         "openAPIV3Schema.properties[a].x-kubernetes-preserve-unknown-fields: Invalid value: false: must be true or undefined"),
        (#"{"type":"object","properties":{"metadata":{"type":"object","properties":{"labels":{"type":"object"}}}}}"#,
         "openAPIV3Schema.properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified"),
        (#"{"type":"object","properties":{"a":{"type":"string","pattern":"("}}}"#, nil),
    ] as [(String, String?)])
    func rejectsNonStructuralSchemas(schema: String, message: String?) {
        do {
            _ = try StructuralSchema(json(schema))
            Issue.record("accepted a non-structural schema")
        } catch {
            if let message { #expect(error.message == message) }
            #expect(!error.errors.isEmpty)
        }
    }

    @Test func acceptsGeneratedIntOrStringAndPreservedFields() throws {
        _ = try StructuralSchema(json(#"""
            {"type":"object","properties":{
              "port":{"anyOf":[{"type":"integer"},{"type":"string"}],"x-kubernetes-int-or-string":true},
              "free":{"x-kubernetes-preserve-unknown-fields":true},
              "metadata":{"type":"object","properties":{"name":{"type":"string","maxLength":10}}}}}
            """#))
    }
}

@Suite struct SchemaMetadataTests {
    @Test func schemasMayConstrainTheResourceName() throws {
        let schema = try StructuralSchema(json(#"{"type":"object","properties":{"metadata":{"type":"object","properties":{"name":{"type":"string","maxLength":5}}}}}"#))
        #expect(schema.validate(json(#"{"metadata":{"name":"toolong"}}"#)).map(\.message) == ["metadata.name: Too long: may not be more than 5 bytes"])
        #expect(schema.validate(json(#"{"metadata":{"name":"ok"}}"#)).isEmpty)
    }
}
