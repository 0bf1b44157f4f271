import APIMachinery
import Injection
import KubeModel
import Logging
import Testing
@testable import Webhook

/// Review in, response out, through the same endpoint both servers call.
@Suite struct InjectionWebhookTests {
    let endpoint = InjectionEndpoint(webhook: InjectionWebhook(settings: InjectionSettings()), logger: Logger(label: "test"))

    func post(_ review: JSONValue) -> WebhookAnswer {
        endpoint.answer(method: "POST", body: review.serialized())
    }

    /// The `response` of an answer's AdmissionReview.
    func response(_ answer: WebhookAnswer) throws -> JSONValue {
        let review = try JSONValue(parsing: answer.body)
        #expect(review["apiVersion"] == "admission.k8s.io/v1")
        #expect(review["kind"] == "AdmissionReview")
        return try #require(review["response"])
    }

    func patch(_ response: JSONValue) throws -> JSONValue {
        let encoded = try #require(response["patch"]?.stringValue)
        guard case .success(let bytes) = Base64.decode(encoded) else { throw DecodeFailure() }
        return try JSONValue(parsing: bytes)
    }
    struct DecodeFailure: Error {}

    @Test func anInjectedPodGetsAPatchThatTurnsTheOriginalIntoTheInjectedPod() throws {
        let pod = Reviews.pod()
        let answer = post(Reviews.review(pod: pod))
        #expect(answer.status == 200)
        #expect(answer.contentType == "application/json")
        #expect(answer.outcome == .injected)
        let response = try response(answer)
        #expect(response["uid"] == "705ab4f5-6393-11e8-b7cc-42010a800002")
        #expect(response["allowed"] == true)
        #expect(response["patchType"] == "JSONPatch")
        #expect(response["status"] == nil)
        let operations = try patch(response)
        let patched = try JSONPatch.apply(operations, to: pod)
        guard case .injected(let expected) = try Injector.inject(InjectionRequest(pod: pod, namespace: "shop"), settings: InjectionSettings()) else {
            Issue.record("the injector left the pod unchanged")
            return
        }
        #expect(patched == expected)
        let initContainers = patched[path: ["spec", "initContainers"]]?.arrayValue?.compactMap { $0["name"]?.stringValue }
        #expect(initContainers == [MeshConventions.initContainerName, MeshConventions.proxyContainerName])
        #expect(patched[path: ["metadata", "annotations", MeshConventions.injectedAnnotation]] == "v1")
        // Every operation addresses the pod's spec or its annotations, nothing else the API server sent.
        #expect(operations.arrayValue?.allSatisfy {
            let path = $0["path"]?.stringValue ?? ""
            return path.hasPrefix("/spec/") || path.hasPrefix("/metadata/annotations")
        } == true)
    }

    @Test func aClassicSidecarWhenNativeSidecarsAreOff() throws {
        let classic = InjectionEndpoint(webhook: InjectionWebhook(settings: InjectionSettings(nativeSidecars: false)),
                                        logger: Logger(label: "test"))
        let pod = Reviews.pod()
        let answer = classic.answer(method: "POST", body: Reviews.review(pod: pod).serialized())
        let patched = try JSONPatch.apply(try patch(try response(answer)), to: pod)
        #expect(patched[path: ["spec", "containers"]]?.arrayValue?.first?["name"] == .string(MeshConventions.proxyContainerName))
    }

    @Test(arguments: [
        ("opted out", Reviews.review(pod: Reviews.pod(annotations: [MeshConventions.injectAnnotation: "false"]))),
        ("host network", Reviews.review(pod: Reviews.pod(hostNetwork: true))),
        ("system namespace", Reviews.review(namespace: "kube-system")),
        ("control plane namespace", Reviews.review(namespace: "causeway-system")),
        ("an update", Reviews.review(operation: "UPDATE")),
        ("a subresource", Reviews.review(subResource: "ephemeralcontainers")),
        ("not a pod", Reviews.review(kind: "Deployment")),
    ])
    func podsThatAreNotInjectedAreAllowedWithoutAPatch(_ name: String, _ review: JSONValue) throws {
        let answer = post(review)
        #expect(answer.status == 200)
        #expect(answer.outcome == .unchanged)
        let response = try response(answer)
        #expect(response["uid"] == "705ab4f5-6393-11e8-b7cc-42010a800002")
        #expect(response["allowed"] == true)
        #expect(response["patch"] == nil)
        #expect(response["patchType"] == nil)
    }

    @Test func anAlreadyInjectedPodIsUnchangedSoReinvocationIsSafe() throws {
        let pod = Reviews.pod()
        let first = try JSONPatch.apply(try patch(try response(post(Reviews.review(pod: pod)))), to: pod)
        let again = post(Reviews.review(uid: "second", pod: first))
        #expect(again.outcome == .unchanged)
        let response = try response(again)
        #expect(response["uid"] == "second")
        #expect(response["patch"] == nil)
    }

    @Test func anInvalidAnnotationRefusesThePodWithTheInjectorsMessage() throws {
        let pod = Reviews.pod(annotations: ["causeway.dev/exclude-inbound-ports": "http,70000"])
        var expected = ""
        do {
            _ = try Injector.inject(InjectionRequest(pod: pod, namespace: "shop"), settings: InjectionSettings())
            Issue.record("the injector accepted an invalid annotation")
        } catch {
            expected = error.message
        }
        let answer = post(Reviews.review(uid: "bad-1", pod: pod))
        #expect(answer.status == 200, "a refusal is an answer, not an HTTP error")
        #expect(answer.outcome == .refused)
        let response = try response(answer)
        #expect(response["uid"] == "bad-1")
        #expect(response["allowed"] == false)
        #expect(response["patch"] == nil)
        #expect(response[path: ["status", "code"]] == 400)
        #expect(response[path: ["status", "reason"]] == "BadRequest")
        #expect(response[path: ["status", "status"]] == "Failure")
        #expect(response[path: ["status", "message"]] == .string(expected))
        #expect(expected.contains("exclude-inbound-ports"))
    }

    @Test func aDryRunIsAnsweredLikeARealCreate() throws {
        let real = try response(post(Reviews.review(uid: "a")))
        let dry = try response(post(Reviews.review(uid: "b", dryRun: true)))
        #expect(dry["uid"] == "b")
        #expect(dry["allowed"] == true)
        #expect(dry["patch"] != nil)
        #expect(dry["patch"] == real["patch"])
    }

    @Test func theNamespacesLabelsDecideWhenKnown() async throws {
        let body = Reviews.review().serialized()
        let outside = await endpoint.answer(method: "POST", body: body) { _ in ["team": "shop"] }
        #expect(outside.outcome == .unchanged)
        let inside = await endpoint.answer(method: "POST", body: body) { namespace in
            namespace == "shop" ? [MeshConventions.meshLabel: MeshConventions.meshLabelEnabled] : nil
        }
        #expect(inside.outcome == .injected)
        let unknown = await endpoint.answer(method: "POST", body: body) { _ in nil }
        #expect(unknown.outcome == .injected, "unknown labels: the namespaceSelector already chose the namespace")
    }

    @Test(arguments: [
        ("not JSON", "{\"apiVersion\": ", "not JSON"),
        ("not an object", "[1,2]", "JSON object"),
        ("v1beta1", Reviews.review().replacing("apiVersion", with: "admission.k8s.io/v1beta1").jsonString, "admission.k8s.io/v1"),
        ("no request", Reviews.review().replacing("request", with: nil).jsonString, "no request"),
        ("no uid", Reviews.review(uid: "").jsonString, "uid"),
        ("no pod", Reviews.review(pod: nil).jsonString, "object"),
        ("no namespace", Reviews.review(namespace: nil).jsonString, "namespace"),
    ])
    func aMalformedBodyGetsA400WithTheReason(_ name: String, _ body: String, _ mentions: String) {
        let answer = endpoint.answer(method: "POST", body: Array(body.utf8))
        #expect(answer.status == 400)
        #expect(answer.outcome == .malformed)
        let text = String(decoding: answer.body, as: UTF8.self)
        #expect(text.hasPrefix("malformed AdmissionReview: "), "\(text)")
        #expect(text.contains(mentions), "\(text)")
    }

    @Test(arguments: [
        AdmissionResponse.allow(uid: "u-1"),
        AdmissionResponse.allow(uid: "u-2", patch: [["op": "add", "path": "/metadata/annotations/a~1b", "value": "x\"y"]]),
        AdmissionResponse.allow(uid: "u-3", patch: []),
        AdmissionResponse.refuse(uid: "u\"4", message: "annotation causeway.dev/log-level: \"loud\" is not valid\n"),
    ])
    func theDirectlyWrittenReviewIsTheSerializedReview(_ response: AdmissionResponse) {
        #expect(response.serialized() == response.review.serialized(), "\(String(decoding: response.serialized(), as: UTF8.self))")
    }

    @Test func onlyPostIsAReview() {
        let answer = endpoint.answer(method: "GET", body: [UInt8]())
        #expect(answer.status == 405)
    }

    @Test func reviewsAreCountedByOutcomeAndTimed() {
        let endpoint = InjectionEndpoint(webhook: InjectionWebhook(settings: InjectionSettings()), logger: Logger(label: "test"))
        _ = endpoint.answer(method: "POST", body: Reviews.review().serialized())
        _ = endpoint.answer(method: "POST", body: Reviews.review(namespace: "kube-system").serialized())
        _ = endpoint.answer(method: "POST", body: Array("nope".utf8))
        #expect(endpoint.metrics.reviews.value("injected") == 1)
        #expect(endpoint.metrics.reviews.value("unchanged") == 1)
        #expect(endpoint.metrics.reviews.value("malformed") == 1)
        #expect(endpoint.metrics.duration.count == 3)
        #expect(endpoint.metrics.render().contains("causeway_webhook_reviews_total{outcome=\"injected\"} 1"))
    }
}

extension JSONValue {
    /// The review with a top-level field replaced (nil removes it).
    func replacing(_ key: String, with value: JSONValue?) -> JSONValue {
        guard case .object(var object) = self else { return self }
        object[key] = value
        return .object(object)
    }
}
