import APIMachinery
import KubeModel
import KubeTypes
import Testing

/// The typed kinds decode what the API server sends, with the API's field names, and defaulted
/// fields read as the API documents them.
@Suite struct KubeTypesDecodingTests {
    @Test func gatewayWithEveryListenerField() throws {
        let object = try #require(try JSONValue.documents(yaml: """
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: gw, namespace: infra, generation: 3, uid: abc, labels: {a: b}}
            spec:
              gatewayClassName: causeway
              addresses: [{value: 192.0.2.1}]
              infrastructure: {labels: {k: v}, parametersRef: {group: causeway.dev, kind: GatewayConfig, name: big}}
              listeners:
              - name: https
                hostname: "*.example.com"
                port: 443
                protocol: HTTPS
                tls: {certificateRefs: [{name: cert, namespace: other}], options: {example.com/x: y}}
                allowedRoutes:
                  namespaces: {from: Selector, selector: {matchLabels: {team: a}}}
                  kinds: [{kind: HTTPRoute}]
            status:
              listeners: [{name: https, attachedRoutes: 2, supportedKinds: [{kind: HTTPRoute}], conditions: []}]
            """).first)
        let gateway = try JSONValueDecoder().decode(GatewayAPI.Gateway.self, from: object)
        #expect(gateway.metadata.key == "infra/gw" && gateway.metadata.observedGeneration == 3)
        #expect(gateway.spec.addresses?.first?.effectiveType == "IPAddress")
        let listener = try #require(gateway.spec.listeners.first)
        #expect(listener.tls?.effectiveMode == "Terminate")
        #expect(listener.tls?.certificateRefs?.first?.effectiveKind == "Secret")
        #expect(listener.allowedRoutes?.namespaces?.effectiveFrom == "Selector")
        #expect(listener.allowedRoutes?.kinds?.first?.effectiveGroup == GatewayAPI.group)
        #expect(gateway.status?.listeners?.first?.attachedRoutes == 2)
    }

    @Test func routeParentRefDefaultsAndStatusRoundTrip() throws {
        let object: JSONValue = [
            "apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
            "metadata": ["name": "r", "namespace": "default"],
            "spec": ["parentRefs": [["name": "gw", "sectionName": "http", "port": 80]]],
            "status": ["parents": [[
                "parentRef": ["name": "gw"], "controllerName": "example.com/other",
                "conditions": [["type": "Accepted", "status": "True", "reason": "Accepted", "message": "", "lastTransitionTime": "2026-01-01T00:00:00Z"]],
            ]]],
        ]
        let route = try JSONValueDecoder().decode(GatewayAPI.HTTPRoute.self, from: object)
        let ref = try #require(route.spec.parentRefs?.first)
        #expect(ref.refersToGateway && ref.sectionName == "http" && ref.port == 80)
        let status = try #require(route.status)
        #expect(try JSONValueEncoder().encode(status) == object["status"])
    }

    @Test func conditionMergeKeepsTransitionTimeWhileStatusHolds() {
        let old = [Condition(type: "Accepted", status: .true, reason: "Accepted", message: "old", observedGeneration: 1,
                             lastTransitionTime: "2026-01-01T00:00:00Z"),
                   Condition(type: "example.com/Ready", status: .true, reason: "Ready", message: "", observedGeneration: 1,
                             lastTransitionTime: "2026-01-01T00:00:00Z")]
        let desired = [Condition(type: "Accepted", status: .true, reason: "Accepted", message: "new", observedGeneration: 2),
                       Condition(type: "Programmed", status: .false, reason: "Pending", message: "", observedGeneration: 2)]
        let merged = ConditionMerge.merge(desired, onto: old, now: "2026-02-02T00:00:00Z", keepForeign: true)
        #expect(merged.map(\.type) == ["Accepted", "Programmed", "example.com/Ready"])
        #expect(merged[0].lastTransitionTime == "2026-01-01T00:00:00Z" && merged[0].message == "new")
        #expect(merged[1].lastTransitionTime == "2026-02-02T00:00:00Z")
        let flipped = ConditionMerge.merge(
            [Condition(type: "Accepted", status: .false, reason: "Invalid", message: "", observedGeneration: 3)], onto: merged,
            now: "2026-03-03T00:00:00Z")
        #expect(flipped.count == 1 && flipped[0].lastTransitionTime == "2026-03-03T00:00:00Z")
    }
}
