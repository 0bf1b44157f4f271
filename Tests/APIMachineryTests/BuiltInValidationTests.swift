import Testing
import KubeModel
@testable import APIMachinery

@Suite struct BuiltInValidationTests {
    @Test func configMapKeysAndDuplicates() {
        let configMap = json(#"{"apiVersion":"v1","kind":"ConfigMap","data":{"good.key":"v","bad key":"v","..x":"v"},"binaryData":{"good.key":"AA=="}}"#)
        #expect(BuiltInValidation.validate(configMap).map(\.message) == [
            "data[..x]: Invalid value: \"..x\": must not start with '..'",
            "data[bad key]: Invalid value: \"bad key\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
            "data[good.key]: Invalid value: \"good.key\": duplicate of key present in binaryData",
        ])
    }

    @Test func configMapSizeLimit() {
        let big = String(repeating: "x", count: 1024 * 1024 + 1)
        let configMap: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "data": ["k": .string(big)]]
        #expect(BuiltInValidation.validate(configMap).map(\.message) == [": Too long: may not be more than 1048576 bytes"])
    }

    @Test func secretTypesRequireTheirKeys() {
        let tls = json(#"{"apiVersion":"v1","kind":"Secret","type":"kubernetes.io/tls","data":{"tls.crt":"Y2VydA=="}}"#)
        #expect(BuiltInValidation.validate(tls).map(\.message) == ["data[tls.key]: Required value"])
        let opaque = json(#"{"apiVersion":"v1","kind":"Secret","data":{"a":"Yg=="}}"#)
        #expect(BuiltInValidation.validate(opaque).isEmpty)
    }

    @Test func secretStringDataMovesIntoData() {
        let secret = json(#"{"apiVersion":"v1","kind":"Secret","data":{"a":"YQ=="},"stringData":{"b":"hello","c":"hi!"}}"#)
        #expect(BuiltInValidation.mergingSecretStringData(secret) == json(#"{"apiVersion":"v1","kind":"Secret","data":{"a":"YQ==","b":"aGVsbG8=","c":"aGkh"}}"#))
    }

    @Test(arguments: [("aGVsbG8=", nil), ("aGk*", "illegal base64 data at input byte 3"), ("abcde", "illegal base64 data at input byte 4"),
                      ("abc", "illegal base64 data at input byte 0")] as [(String, String?)])
    func secretDataMustBeBase64(value: String, message: String?) {
        let secret: JSONValue = ["apiVersion": "v1", "kind": "Secret", "data": ["k": .string(value)]]
        #expect(BuiltInValidation.secretDataDecodingError(secret) == message)
    }

    @Test func base64RoundTrips() throws {
        for text in ["", "a", "ab", "abc", "abcd", "hello world", "ünïcødé"] {
            #expect(try Base64.decode(Base64.encode(Array(text.utf8))).get() == Array(text.utf8))
        }
        #expect(Base64.encode(Array("hello".utf8)) == "aGVsbG8=")
    }

    @Test(arguments: [("", "Service", ObjectMetaValidation.NameRule.dns1035Label), ("", "Namespace", .dns1123Label),
                      ("rbac.authorization.k8s.io", "ClusterRole", .pathSegment), ("apps", "Deployment", .dns1123Subdomain)])
    func nameRules(group: String, kind: String, rule: ObjectMetaValidation.NameRule) {
        #expect(BuiltInValidation.nameRule(group: group, kind: kind) == rule)
    }
}

@Suite struct WorkloadValidationTests {
    func deployment(selector: String, labels: String, containers: String = #"[{"name":"web","image":"nginx"}]"#) -> JSONValue {
        json(#"{"apiVersion":"apps/v1","kind":"Deployment","spec":{"selector":\#(selector),"template":{"metadata":{"labels":\#(labels)},"spec":{"containers":\#(containers)}}}}"#)
    }

    @Test func matchingSelectorIsValid() {
        #expect(BuiltInValidation.validate(deployment(selector: #"{"matchLabels":{"app":"web"}}"#, labels: #"{"app":"web","tier":"fe"}"#)).isEmpty)
    }

    @Test(arguments: [
        (#"{"matchLabels":{"app":"web"}}"#, #"{"app":"other"}"#,
         ["spec.template.metadata.labels: Invalid value: {\"app\":\"other\"}: `selector` does not match template `labels`"]),
        ("null", #"{"app":"web"}"#, ["spec.selector: Required value"]),
        ("{}", #"{"app":"web"}"#, ["spec.selector: Invalid value: {}: empty selector is invalid for deployment"]),
    ])
    func selectorErrors(selector: String, labels: String, expected: [String]) {
        #expect(BuiltInValidation.validate(deployment(selector: selector, labels: labels)).map(\.message) == expected)
    }

    @Test func containerErrors() {
        let object = deployment(selector: #"{"matchLabels":{"a":"b"}}"#, labels: #"{"a":"b"}"#,
                                containers: #"[{"name":"web"},{"name":"web","image":"x"},{"image":"y"}]"#)
        #expect(BuiltInValidation.validate(object).map(\.message) == [
            "spec.template.spec.containers[0].image: Required value",
            "spec.template.spec.containers[1].name: Duplicate value: \"web\"",
            "spec.template.spec.containers[2].name: Required value",
        ])
    }

    @Test func selectorIsImmutable() {
        let old = deployment(selector: #"{"matchLabels":{"app":"v1"}}"#, labels: #"{"app":"v1"}"#)
        let new = deployment(selector: #"{"matchLabels":{"app":"v2"}}"#, labels: #"{"app":"v2"}"#)
        #expect(BuiltInValidation.validateUpdate(new: new, old: old).map(\.message)
                == ["spec.selector: Invalid value: {\"matchLabels\":{\"app\":\"v2\"}}: field is immutable"])
        #expect(BuiltInValidation.validateUpdate(new: old, old: old).isEmpty)
    }
}

@Suite struct PortValidationTests {
    @Test func serviceRules() {
        let service = json(#"""
            {"apiVersion":"v1","kind":"Service","spec":{"type":"Magic","ports":[
              {"name":"web","port":80,"protocol":"TCP","targetPort":"http"},
              {"name":"web","port":70000,"protocol":"ICMP","targetPort":0},
              {"port":443,"protocol":"TCP","targetPort":"Bad--Name"}]}}
            """#)
        #expect(BuiltInValidation.validate(service).map(\.message) == [
            "spec.type: Unsupported value: \"Magic\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\"",
            "spec.ports[1].name: Duplicate value: \"web\"",
            "spec.ports[1].port: Invalid value: 70000: must be between 1 and 65535, inclusive",
            "spec.ports[1].protocol: Unsupported value: \"ICMP\": supported values: \"SCTP\", \"TCP\", \"UDP\"",
            "spec.ports[1].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive",
            "spec.ports[2].name: Required value",
            "spec.ports[2].targetPort: Invalid value: \"Bad--Name\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
            "spec.ports[2].targetPort: Invalid value: \"Bad--Name\": must not contain consecutive hyphens",
        ])
    }

    @Test func servicesNeedPortsUnlessHeadlessOrExternalName() {
        #expect(BuiltInValidation.validate(json(#"{"apiVersion":"v1","kind":"Service","spec":{}}"#)).map(\.message) == ["spec.ports: Required value"])
        #expect(BuiltInValidation.validate(json(#"{"apiVersion":"v1","kind":"Service","spec":{"clusterIP":"None"}}"#)).isEmpty)
        #expect(BuiltInValidation.validate(json(#"{"apiVersion":"v1","kind":"Service","spec":{"type":"ExternalName"}}"#)).isEmpty)
    }

    @Test func containerPortNamesAreUniqueAcrossThePod() {
        let pod = json(#"""
            {"apiVersion":"v1","kind":"Pod","spec":{"containers":[
              {"name":"a","image":"i","ports":[{"name":"http","containerPort":80,"protocol":"TCP"}]},
              {"name":"b","image":"i","ports":[{"name":"http","containerPort":8080,"protocol":"TCP"},{"containerPort":0,"protocol":"TCP"}]}]}}
            """#)
        #expect(BuiltInValidation.validate(pod).map(\.message) == [
            "spec.containers[1].ports[0].name: Duplicate value: \"http\"",
            "spec.containers[1].ports[1].containerPort: Required value",
        ])
    }
}
