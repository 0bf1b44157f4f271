import Testing
import KubeModel
@testable import APIMachinery

@Suite struct NameValidationTests {
    static let subdomainMessage = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
    static let labelMessage = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"

    @Test(arguments: [
        ("example.com", []),
        ("my-app-1", []),
        ("My-App", [subdomainMessage]),
        ("-app", [subdomainMessage]),
        ("a..b", [subdomainMessage]),
        ("", [subdomainMessage]),
        (String(repeating: "a", count: 254), ["must be no more than 253 characters"]),
    ])
    func subdomains(name: String, expected: [String]) {
        #expect(NameValidation.dns1123Subdomain(name) == expected)
    }

    @Test(arguments: [
        ("default", []),
        ("kube-system", []),
        ("a.b", ["must not contain dots"]),
        ("Bad", [labelMessage]),
        (String(repeating: "a", count: 64), ["must be no more than 63 characters"]),
    ])
    func labels(name: String, expected: [String]) {
        #expect(NameValidation.dns1123Label(name) == expected)
    }

    @Test(arguments: [
        ("app", 0), ("app.kubernetes.io/name", 0), ("example.com/My_Key.1", 0),
        ("/name", 1), ("a/b/c", 1), ("Example.com/name", 1), ("name-", 1), ("", 2),
    ])
    func qualifiedNames(key: String, errorCount: Int) {
        #expect(NameValidation.qualifiedName(key).count == errorCount)
    }

    @Test func labelMapErrorsNameTheField() {
        let errors = NameValidation.validateLabels(json(#"{"good":"v","bad key":"v","k":"-bad"}"#), field: "metadata.labels")
        #expect(errors.map(\.message) == [
            "metadata.labels: Invalid value: \"bad key\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
            "metadata.labels: Invalid value: \"-bad\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
        ])
        #expect(NameValidation.validateLabels(nil, field: "metadata.labels").isEmpty)
    }

    @Test func annotationsAllowAnyCaseAndLimitTotalSize() {
        #expect(NameValidation.validateAnnotations(json(#"{"Example.COM/Key":"any value at all"}"#), field: "metadata.annotations").isEmpty)
        let big = JSONValue.object(["k": .string(String(repeating: "x", count: 256 * 1024))])
        #expect(NameValidation.validateAnnotations(big, field: "metadata.annotations").map(\.message)
                == ["metadata.annotations: Too long: may not be more than 262144 bytes"])
    }
}
