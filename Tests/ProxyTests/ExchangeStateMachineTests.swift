import NIOCore
import NIOHTTP1
import Testing
@testable import Proxy

@Suite("Exchange state machine")
struct ExchangeStateMachineTests {
    private let head = HTTPClientRequestPart.head(HTTPRequestHead(version: .http1_1, method: .POST, uri: "/"))
    private let body = HTTPClientRequestPart.body(.byteBuffer(ByteBuffer(string: "x")))
    private let responseHead = HTTPClientResponsePart.head(HTTPResponseHead(version: .http1_1, status: .ok))

    @Test func bodyIsBufferedUntilTheUpstreamIsLeased() {
        var machine = ExchangeStateMachine()
        guard case .leaseUpstream = machine.startForwarding(head) else { Issue.record("expected lease"); return }
        #expect(machine.isAwaitingUpstream)
        guard case .none = machine.requestPart(body) else { Issue.record("body must be held"); return }
        guard case .none = machine.requestPart(.end(nil)) else { Issue.record("end must be held"); return }
        guard case .flushToUpstream(let parts) = machine.upstreamLeased() else { Issue.record("expected flush"); return }
        #expect(parts.count == 3)
        guard case .writeResponseHead = machine.responsePart(responseHead) else { Issue.record("expected head"); return }
        guard case .writeResponseEnd(let release, let done) = machine.responsePart(.end(nil)) else { Issue.record("expected end"); return }
        #expect(release && done)
        #expect(machine.isIdle)
    }

    @Test func earlyResponseDiscardsTheRestOfTheUpload() {
        var machine = ExchangeStateMachine()
        _ = machine.startForwarding(head)
        _ = machine.upstreamLeased()
        _ = machine.responsePart(responseHead)
        guard case .writeResponseEnd(let release, let done) = machine.responsePart(.end(nil)) else { Issue.record("expected end"); return }
        // The upstream connection saw only part of the body: it must not be reused.
        #expect(!release && !done)
        guard case .none = machine.requestPart(body) else { Issue.record("late body must be dropped"); return }
        guard case .exchangeDone(let close) = machine.requestPart(.end(nil)) else { Issue.record("expected done"); return }
        #expect(!close)
        #expect(machine.isIdle)
    }

    @Test func timeoutBeforeResponseIs504AfterItAborts() {
        var machine = ExchangeStateMachine()
        _ = machine.startForwarding(head)
        _ = machine.requestPart(.end(nil))
        _ = machine.upstreamLeased()
        guard case .failWith(let status, let close, _) = machine.timedOut() else { Issue.record("expected 504"); return }
        #expect(status == .gatewayTimeout)
        #expect(!close)

        var streaming = ExchangeStateMachine()
        _ = streaming.startForwarding(head)
        _ = streaming.requestPart(.end(nil))
        _ = streaming.upstreamLeased()
        _ = streaming.responsePart(responseHead)
        guard case .abortConnection = streaming.timedOut() else { Issue.record("expected abort"); return }
    }

    @Test func upstreamFailureIs502AndUnavailableIs503() {
        var failing = ExchangeStateMachine()
        _ = failing.startForwarding(head)
        _ = failing.requestPart(.end(nil))
        _ = failing.upstreamLeased()
        guard case .failWith(.badGateway, _, _) = failing.upstreamFailed() else { Issue.record("expected 502"); return }

        var unavailable = ExchangeStateMachine()
        _ = unavailable.startForwarding(head)
        guard case .failWith(.serviceUnavailable, let close, _) = unavailable.upstreamUnavailable() else { Issue.record("expected 503"); return }
        // The request body was not read to its end: the connection cannot be trusted for another request.
        #expect(close)
    }

    @Test func staleConnectionRetryResendsOnlyAWholeRequest() {
        var machine = ExchangeStateMachine()
        _ = machine.startForwarding(head)
        _ = machine.requestPart(.end(nil))
        _ = machine.upstreamLeased()
        guard case .leaseUpstream = machine.retryOnFreshConnection(head) else { Issue.record("expected a new lease"); return }
        guard case .flushToUpstream(let parts) = machine.upstreamLeased() else { Issue.record("expected resend"); return }
        #expect(parts.count == 2)

        var started = ExchangeStateMachine()
        _ = started.startForwarding(head)
        _ = started.requestPart(.end(nil))
        _ = started.upstreamLeased()
        _ = started.responsePart(responseHead)
        guard case .abortConnection = started.retryOnFreshConnection(head) else { Issue.record("a started response cannot be retried"); return }
    }

    @Test func oversizedBodyIs413BeforeTheResponse() {
        var machine = ExchangeStateMachine()
        _ = machine.startForwarding(head)
        _ = machine.upstreamLeased()
        guard case .failWith(.payloadTooLarge, true, _) = machine.bodyTooLarge() else { Issue.record("expected 413"); return }
    }
}

@Suite("Load balancing")
struct LoadBalancerTests {
    private func endpoints(_ weights: [Int]) -> [WeightedEndpoint] {
        weights.enumerated().map { WeightedEndpoint(endpoint: UpstreamEndpoint(host: "10.0.0.\($0.offset)", port: 80), weight: $0.element) }
    }

    @Test func smoothWeightedRoundRobinInterleaves() {
        var balancer = LoadBalancer()
        var random = FastRandom(seed: 1)
        let picks = (0..<7).map { _ in balancer.pick(endpoints([5, 1, 1]), policy: .roundRobin, random: &random) { _ in 0 }! }
        #expect(picks == [0, 0, 1, 0, 2, 0, 0])
    }

    @Test func leastRequestAvoidsTheBusyEndpoint() {
        var balancer = LoadBalancer()
        var random = FastRandom(seed: 7)
        var counts = [0, 0]
        for _ in 0..<100 {
            let pick = balancer.pick(endpoints([1, 1]), policy: .leastRequest, random: &random) { $0 == 0 ? 50 : 0 }!
            counts[pick] += 1
        }
        // With two endpoints both are always compared, so the idle one always wins.
        #expect(counts == [0, 100])
    }

    @Test func zeroWeightGetsNothingFromRoundRobin() {
        var balancer = LoadBalancer()
        var random = FastRandom(seed: 3)
        let picks = (0..<10).map { _ in balancer.pick(endpoints([1, 0]), policy: .roundRobin, random: &random) { _ in 0 }! }
        #expect(picks.allSatisfy { $0 == 0 })
    }
}

@Suite("Request head validation")
struct RequestHeadValidatorTests {
    private func head(_ headers: [(String, String)], uri: String = "/") -> HTTPRequestHead {
        HTTPRequestHead(version: .http1_1, method: .POST, uri: uri, headers: HTTPHeaders(headers))
    }

    @Test func rejectsSmugglingShapes() {
        let limits = RequestLimits()
        let cases: [[(String, String)]] = [
            [("host", "a"), ("content-length", "3"), ("transfer-encoding", "chunked")],
            [("host", "a"), ("content-length", "3"), ("content-length", "4")],
            [("host", "a"), ("content-length", "+3")],
            [("host", "a"), ("transfer-encoding", "gzip")],
            [("host", "a"), ("host", "b")],
        ]
        for headers in cases {
            guard case .failure(let rejection) = validate(headers, limits: limits) else {
                Issue.record("accepted \(headers)")
                continue
            }
            #expect(rejection.status == .badRequest)
        }
    }

    @Test func acceptsRepeatedEqualContentLength() throws {
        let result = validate([("host", "a"), ("content-length", "3"), ("content-length", "3")], limits: RequestLimits())
        #expect(try result.get() == 3)
    }

    @Test func listValuedFieldsAreReadElementByElement() throws {
        #expect(try validate([("host", "a"), ("content-length", "3, 3")], limits: RequestLimits()).get() == 3)
        #expect(try validate([("host", "a"), ("transfer-encoding", "gzip, chunked")], limits: RequestLimits()).get() == nil)
        for headers in [[("host", "a"), ("content-length", "3, 4")], [("host", "a"), ("transfer-encoding", "chunked, gzip")]] {
            guard case .failure(let rejection) = validate(headers, limits: RequestLimits()) else {
                Issue.record("accepted \(headers)")
                continue
            }
            #expect(rejection.status == .badRequest)
        }
    }

    @Test func oneClassifyingPassFindsWhatTheProxyNeeds() {
        let facts = RequestHeaderFacts(HTTPHeaders([
            ("Host", "a.example"), ("Expect", "100-Continue"), ("X-Request-Id", "r1"), ("x-request-id", "r2"),
            ("X-Forwarded-For", "10.0.0.1"), ("x-forwarded-proto", "https"), ("X-Forwarded-Client-Cert", "forged"), ("te", "trailers"),
        ]))
        #expect(facts.host == "a.example" && facts.hostCount == 1)
        #expect(facts.expectsContinue)
        #expect(facts.requestID == "r1")
        #expect(facts.forwardedFor == "10.0.0.1")
        #expect(facts.hasForwardedProto && !facts.hasForwardedHost && facts.hasClientCertificate)
        #expect(facts.hasHopByHop)
        #expect(!RequestHeaderFacts(HTTPHeaders([("host", "a"), ("accept", "*/*")])).hasHopByHop)
    }

    private func validate(_ headers: [(String, String)], limits: RequestLimits) -> Result<Int?, RequestRejection> {
        let request = head(headers)
        return RequestHeadValidator.validate(request, facts: RequestHeaderFacts(request.headers), limits: limits, isHTTP2: false)
    }

    @Test func headerLimitsGive431() {
        var limits = RequestLimits()
        limits.maxHeaderCount = 2
        guard case .failure(let rejection) = validate([("host", "a"), ("x", "1"), ("y", "2")], limits: limits) else {
            Issue.record("accepted too many headers")
            return
        }
        #expect(rejection.status == .requestHeaderFieldsTooLarge)
    }
}

@Suite("Prometheus exposition")
struct PrometheusExpositionTests {
    @Test func escapesLabelValuesAndRendersHistograms() {
        let shard = MetricsShard()
        shard.requestStarted()
        shard.requestFinished(route: "ns/\"quoted\"\\", backend: "b", status: 503, seconds: 0.003)
        let text = PrometheusExposition.render(shard.snapshot, configVersion: "v1", configSwaps: 2, configRejections: 1)
        #expect(text.contains("causeway_requests_total{route=\"ns/\\\"quoted\\\"\\\\\",backend=\"b\",code=\"5xx\"} 1\n"))
        #expect(text.contains("le=\"0.0025\"} 0\n"))
        #expect(text.contains("le=\"0.005\"} 1\n"))
        #expect(text.contains("le=\"+Inf\"} 1\n"))
        #expect(text.contains("causeway_active_requests 0\n"))
        #expect(text.contains("causeway_config_swaps_total 2\n"))
    }
}
