import Foundation
import Testing
import TestSupport

/// The controller as users meet it: `causeway dev` (the controller in-process) or `causeway
/// controller` processes, driven with the real kubectl, checked through the statuses, objects and
/// Events kubectl shows.
@Suite(.serialized) struct GatewayControllerEndToEndTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/gateway")
    static var basic: String { fixtures.appendingPathComponent("basic.yaml").path }

    /// `kubectl get ... -o jsonpath=...`, empty when the object is missing.
    static func field(_ cluster: DevProcess, _ arguments: [String], _ jsonPath: String) -> String {
        (try? cluster.kubectl(["get"] + arguments + ["-o", "jsonpath=\(jsonPath)"], allowFailure: true).stdout) ?? ""
    }

    static func routeCondition(_ cluster: DevProcess, _ route: String, _ type: String, _ part: String = "status") -> String {
        field(cluster, ["httproute", route], "{.status.parents[0].conditions[?(@.type==\"\(type)\")].\(part)}")
    }

    static func routeGeneration(_ cluster: DevProcess, _ route: String) -> String {
        field(cluster, ["httproute", route], "{.metadata.generation}")
    }

    @Test func routeIsAcceptedAndConditionsFollowTheGeneration() async throws {
        let cluster = try DevProcess()
        defer { cluster.stop() }
        try cluster.kubectl("apply", "-f", Self.basic)
        let accepted = await eventually {
            Self.routeCondition(cluster, "users", "Accepted") == "True"
                && Self.field(cluster, ["gateway", "web"], "{.status.conditions[?(@.type==\"Accepted\")].status}") == "True"
        }
        #expect(accepted, "route and gateway accepted; controller log: \(cluster.log.suffix(2000))")
        #expect(Self.routeCondition(cluster, "users", "Accepted", "reason") == "Accepted")
        #expect(Self.routeCondition(cluster, "users", "Accepted", "observedGeneration") == "1")
        #expect(Self.field(cluster, ["gateway", "web"], "{.status.listeners[0].attachedRoutes}") == "1")
        #expect(Self.field(cluster, ["gatewayclass", "causeway"], "{.status.conditions[?(@.type==\"Accepted\")].status}") == "True")
        #expect(Self.field(cluster, ["gatewayclass", "causeway"], "{.status.supportedFeatures[*].name}").contains("HTTPRoute"))

        try cluster.kubectl("patch", "httproute", "users", "--type=merge", "-p", #"{"spec":{"hostnames":["api.example.org"]}}"#)
        #expect(Self.routeGeneration(cluster, "users") == "2")
        let followed = await eventually { Self.routeCondition(cluster, "users", "Accepted", "observedGeneration") == "2" }
        #expect(followed, "observedGeneration follows the new generation")
        #expect(Self.routeCondition(cluster, "users", "ResolvedRefs", "observedGeneration") == "2")

        // The printer columns users see.
        let table = try cluster.kubectl("get", "gateway", "web").stdout
        #expect(table.contains("CLASS") && table.contains("PROGRAMMED") && table.contains("causeway"), "\(table)")
    }

    @Test func brokenReferenceNamesTheReasonAndRecovers() async throws {
        let cluster = try DevProcess()
        defer { cluster.stop() }
        try cluster.kubectl("apply", "-f", Self.basic)
        try cluster.kubectl("patch", "httproute", "users", "--type=json", "-p",
                            #"[{"op":"replace","path":"/spec/rules/0/backendRefs/0/name","value":"nope"}]"#)
        let broken = await eventually { Self.routeCondition(cluster, "users", "ResolvedRefs", "reason") == "BackendNotFound" }
        #expect(broken, "ResolvedRefs names BackendNotFound")
        #expect(Self.routeCondition(cluster, "users", "ResolvedRefs") == "False")
        #expect(Self.routeCondition(cluster, "users", "Accepted") == "True", "an unresolved backend leaves the route accepted")
        let warned = await eventually {
            Self.field(cluster, ["events", "--field-selector", "involvedObject.name=users"], "{.items[*].reason}").contains("BackendNotFound")
        }
        #expect(warned, "a Warning Event tells the user")

        // Across namespaces the reference needs a ReferenceGrant.
        try cluster.kubectl("create", "namespace", "backends")
        try cluster.kubectl(["apply", "-n", "backends", "-f", "-"], stdin: """
            apiVersion: v1
            kind: Service
            metadata: {name: nope}
            spec: {ports: [{port: 8080}]}
            """)
        try cluster.kubectl("patch", "httproute", "users", "--type=json", "-p",
                            #"[{"op":"add","path":"/spec/rules/0/backendRefs/0/namespace","value":"backends"}]"#)
        let notPermitted = await eventually { Self.routeCondition(cluster, "users", "ResolvedRefs", "reason") == "RefNotPermitted" }
        #expect(notPermitted)
        try cluster.kubectl(["apply", "-f", "-"], stdin: """
            apiVersion: gateway.networking.k8s.io/v1
            kind: ReferenceGrant
            metadata: {name: allow-default-routes, namespace: backends}
            spec:
              from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: default}]
              to: [{group: "", kind: Service}]
            """)
        let recovered = await eventually { Self.routeCondition(cluster, "users", "ResolvedRefs") == "True" }
        #expect(recovered, "the grant resolves the reference")
        #expect(Self.routeCondition(cluster, "users", "ResolvedRefs", "reason") == "ResolvedRefs")
    }

    @Test func aGatewayGetsItsDataPlaneAndLosesItWhenDeleted() async throws {
        let cluster = try DevProcess()
        defer { cluster.stop() }
        try cluster.kubectl("apply", "-f", Self.basic)
        let created = await eventually {
            !Self.field(cluster, ["deployment", "web-causeway"], "{.metadata.name}").isEmpty
                && !Self.field(cluster, ["service", "web-causeway"], "{.metadata.name}").isEmpty
                && !Self.field(cluster, ["serviceaccount", "web-causeway"], "{.metadata.name}").isEmpty
        }
        #expect(created, "Deployment, Service and ServiceAccount web-causeway exist")
        #expect(Self.field(cluster, ["deployment", "web-causeway"], "{.metadata.ownerReferences[0].kind}") == "Gateway")
        #expect(Self.field(cluster, ["deployment", "web-causeway"], "{.metadata.labels.gateway\\.networking\\.k8s\\.io/gateway-name}") == "web")
        #expect(Self.field(cluster, ["service", "web-causeway"], "{.spec.ports[0].port}") == "80")
        #expect(Self.field(cluster, ["deployment", "web-causeway"], "{.spec.template.spec.containers[0].args}").contains("gateway/default/web"))

        try cluster.kubectl("delete", "gateway", "web")
        let gone = await eventually {
            Self.field(cluster, ["deployment", "web-causeway"], "{.metadata.name}").isEmpty
                && Self.field(cluster, ["service", "web-causeway"], "{.metadata.name}").isEmpty
        }
        #expect(gone, "the data plane goes with its Gateway")
        let routeParentsGone = await eventually { Self.field(cluster, ["httproute", "users"], "{.status.parents}") == "[]" }
        #expect(routeParentsGone, "the route's entry for the deleted Gateway is removed")
    }

    @Test func twoReplicasOneLeaderAndFailover() async throws {
        let cluster = try DevProcess.readyForController()
        defer { cluster.stop() }
        let first = try ControllerProcess(cluster: cluster, identity: "replica-a")
        let second = try ControllerProcess(cluster: cluster, identity: "replica-b")
        defer { first.stop(); second.stop() }
        let holder = { Self.field(cluster, ["lease", "-n", "causeway-system", "causeway-controller"], "{.spec.holderIdentity}") }
        let elected = await eventually { ["replica-a", "replica-b"].contains(holder()) }
        #expect(elected, "one replica holds the Lease")
        let accepted = await eventually {
            Self.field(cluster, ["gatewayclass", "causeway"], "{.status.conditions[?(@.type==\"Accepted\")].status}") == "True"
        }
        #expect(accepted, "the leader reconciles")
        let leader = holder()
        let (leading, standby) = leader == "replica-a" ? (first, second) : (second, first)
        #expect(!standby.output.text.contains("applied data-plane object"), "the standby replica writes nothing")

        leading.stop()
        let tookOver = await eventually(timeout: .seconds(30)) { holder() == (leader == "replica-a" ? "replica-b" : "replica-a") }
        #expect(tookOver, "the other replica takes the Lease (released on shutdown)")
        try cluster.kubectl("apply", "-f", Self.basic)
        let served = await eventually(timeout: .seconds(30)) { Self.routeCondition(cluster, "users", "Accepted") == "True" }
        #expect(served, "the new leader reconciles; its log: \(standby.output.text.suffix(1500))")
    }
}
