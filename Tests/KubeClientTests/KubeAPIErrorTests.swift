import KubeModel
@testable import KubeClient
import Testing

@Suite("API errors")
struct KubeAPIErrorTests {
    @Test("Status bodies decode to typed errors", arguments: [
        ("NotFound", 404, KubeAPIError.Code.notFound), ("AlreadyExists", 409, .alreadyExists), ("Conflict", 409, .conflict),
        ("Invalid", 422, .invalid), ("Gone", 410, .gone), ("Expired", 410, .gone), ("Forbidden", 403, .forbidden),
        ("Unauthorized", 401, .unauthorized), ("TooManyRequests", 429, .tooManyRequests), ("InternalError", 500, .internalError),
    ])
    func reasons(reason: String, code: Int, expected: KubeAPIError.Code) {
        let body = #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"m","reason":"\#(reason)","code":\#(code)}"#
        let error = KubeAPIError(httpStatus: code, body: Array(body.utf8), request: "GET /x")
        #expect(error.code == expected)
        #expect(error.status.message == "m")
    }

    @Test("Invalid carries its causes into the message")
    func invalidCauses() {
        let body = """
            {"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Invalid","code":422,
             "message":"ConfigMap \\"Bad\\" is invalid",
             "details":{"name":"Bad","kind":"ConfigMap","causes":[{"reason":"FieldValueInvalid","message":"Invalid value: \\"Bad\\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters","field":"metadata.name"}]}}
            """
        let error = KubeAPIError(httpStatus: 422, body: Array(body.utf8), request: "POST /api/v1/namespaces/default/configmaps")
        #expect(error.code == .invalid)
        #expect(error.causes.first?.field == "metadata.name")
        #expect(error.description.contains("metadata.name"))
        #expect(error.description.contains("POST /api/v1/namespaces/default/configmaps"))
    }

    @Test("a body that is not a Status still gives a useful error")
    func plainBody() {
        let error = KubeAPIError(httpStatus: 503, body: Array("upstream connect error".utf8), request: "GET /api")
        #expect(error.code == .serviceUnavailable)
        #expect(error.description.contains("upstream connect error"))
        let empty = KubeAPIError(httpStatus: 502, body: [], request: "GET /api")
        #expect(empty.code == .serverError)
    }
}
