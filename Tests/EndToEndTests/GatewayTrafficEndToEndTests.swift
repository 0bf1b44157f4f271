import Foundation
import Synchronization
import Testing
import TestSupport

/// The whole gateway path on one machine: `causeway dev` runs the controller, the gateway proxies
/// and the echo backends as processes; kubectl applies, curl sends the traffic, and status is
/// checked against what the traffic shows.
@Suite(.serialized) struct GatewayTrafficEndToEndTests {
    static var quickstart: String { KubectlEndToEndTests.root.appendingPathComponent("examples/quickstart.yaml").path }

    static func condition(_ cluster: DevProcess, _ kind: String, _ name: String, _ type: String, _ part: String = "status") -> String {
        GatewayControllerEndToEndTests.field(cluster, [kind, name], "{.status.conditions[?(@.type==\"\(type)\")].\(part)}")
    }

    /// Starts `causeway dev` with the quick start and waits until the Gateway serves it.
    static func quickstartCluster() async throws -> (DevProcess, GatewayTraffic, String) {
        let cluster = try DevProcess(extraArguments: ["--apply", quickstart])
        let traffic = GatewayTraffic(cluster: cluster)
        let programmed = await eventually(timeout: .seconds(60)) {
            condition(cluster, "gateway", "quickstart", "Programmed") == "True" && !traffic.address(gateway: "quickstart").isEmpty
        }
        guard programmed else {
            cluster.stop()
            throw TestFailure("the quick start's Gateway never became Programmed: \(cluster.log.suffix(3000))")
        }
        return (cluster, traffic, traffic.address(gateway: "quickstart"))
    }

    @Test func quickstartServesTheSplitAndTheCanary() async throws {
        let (cluster, traffic, address) = try await Self.quickstartCluster()
        defer { cluster.stop() }
        let table = try cluster.kubectl("get", "gateway", "quickstart").stdout
        #expect(table.contains("True") && table.contains(address), "kubectl get gateway shows PROGRAMMED True and the address: \(table)")
        #expect(Self.condition(cluster, "gateway", "quickstart", "causeway.dev/Proxies", "message") == "1 ready, 1 serving generation 1, 0 refused")
        // What the README's first command prints for the user to curl.
        let announced = "causeway dev: gateway default/quickstart is Programmed and serves http://\(address):\(80 + GatewayTraffic.portOffset)"
        #expect(cluster.log.contains(announced), "causeway dev says where the Gateway serves: \(cluster.log.suffix(1500))")
        let first = await eventually { traffic.get(address, host: "api.example.com", path: "/v1/users").status == 200 }
        #expect(first, "the route serves")
        var pods: [String: Int] = [:]
        for _ in 0..<200 {
            let answer = traffic.get(address, host: "api.example.com", path: "/v1/users/42")
            #expect(answer.status == 200)
            pods[answer.pod.hasPrefix("users-v2") ? "v2" : answer.pod.hasPrefix("users-v1") ? "v1" : "other", default: 0] += 1
        }
        #expect(pods["other", default: 0] == 0, "every answer comes from v1 or v2: \(pods)")
        // 90/10 over 200 requests: v2 gets 20 on average; 5 to 45 is far beyond any honest spread.
        #expect((5...45).contains(pods["v2", default: 0]), "weighted split 90/10: \(pods)")
        for _ in 0..<10 {
            #expect(traffic.get(address, host: "api.example.com", path: "/v1/users", headers: ["x-canary: true"]).pod.hasPrefix("users-v2"))
        }
        #expect(traffic.get(address, host: "other.example.com", path: "/v1/users").status == 404, "no route for other hosts")
        #expect(traffic.get(address, host: "api.example.com", path: "/v2").status == 404, "no route for other paths")
    }

    @Test func routeChangeShowsInTrafficAndStatus() async throws {
        let (cluster, traffic, address) = try await Self.quickstartCluster()
        defer { cluster.stop() }
        try cluster.kubectl("patch", "httproute", "users", "--type=json", "-p", """
            [{"op":"replace","path":"/spec/rules/1/backendRefs/0/weight","value":0},
             {"op":"replace","path":"/spec/rules/1/backendRefs/1/weight","value":100}]
            """)
        let allV2 = await eventually {
            (0..<10).allSatisfy { _ in traffic.get(address, host: "api.example.com", path: "/v1/users").pod.hasPrefix("users-v2") }
        }
        #expect(allV2, "after the change every request goes to v2")
        let statusFollowed = await eventually {
            GatewayControllerEndToEndTests.routeCondition(cluster, "users", "Accepted", "observedGeneration") == "2"
        }
        #expect(statusFollowed, "the route's status reports generation 2")
        #expect(Self.condition(cluster, "gateway", "quickstart", "Programmed") == "True")
    }

    @Test func invalidRuleAnswers500WhileSiblingsServe() async throws {
        let (cluster, traffic, address) = try await Self.quickstartCluster()
        defer { cluster.stop() }
        try cluster.kubectl(["apply", "-f", "-"], stdin: """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: broken, namespace: default}
            spec:
              parentRefs: [{name: quickstart}]
              hostnames: [api.example.com]
              rules:
              - matches: [{path: {type: PathPrefix, value: /broken}}]
                backendRefs: [{name: does-not-exist, port: 8080}]
              - matches: [{path: {type: PathPrefix, value: /fine}}]
                backendRefs: [{name: users-v1, port: 8080}]
            """)
        let served = await eventually {
            traffic.get(address, host: "api.example.com", path: "/broken").status == 500
                && traffic.get(address, host: "api.example.com", path: "/fine").status == 200
        }
        #expect(served, "the rule without a backend answers 500, its sibling rule 200")
        #expect(traffic.get(address, host: "api.example.com", path: "/v1/users").status == 200, "other routes are untouched")
        #expect(GatewayControllerEndToEndTests.routeCondition(cluster, "broken", "ResolvedRefs", "reason") == "BackendNotFound")
        #expect(GatewayControllerEndToEndTests.routeCondition(cluster, "broken", "Accepted") == "True")
    }

    @Test func refusedConfigurationKeepsTheLastGoodOneAndSaysWhy() async throws {
        let (cluster, traffic, address) = try await Self.quickstartCluster()
        defer { cluster.stop() }
        // A listener on the proxy's own health port (15021, on the pod address) cannot bind:
        // the proxy refuses the configuration and keeps serving the previous one.
        let clashing = 15021 - GatewayTraffic.portOffset
        try cluster.kubectl("patch", "gateway", "quickstart", "--type=json", "-p",
                            #"[{"op":"add","path":"/spec/listeners/-","value":{"name":"clash","port":\#(clashing),"protocol":"HTTP"}}]"#)
        let refused = await eventually {
            Self.condition(cluster, "gateway", "quickstart", "Programmed") == "False"
                && Self.condition(cluster, "gateway", "quickstart", "Programmed", "reason") == "Invalid"
        }
        #expect(refused, "Programmed=False/Invalid once the proxy refuses")
        let message = Self.condition(cluster, "gateway", "quickstart", "Programmed", "message")
        #expect(message.contains("refused") && message.lowercased().contains("address"), "the message says why: \(message)")
        #expect(traffic.get(address, host: "api.example.com", path: "/v1/users").status == 200, "the last good configuration still serves")
        #expect(Self.condition(cluster, "gateway", "quickstart", "causeway.dev/Proxies", "reason") == "Refused")
        #expect(Self.condition(cluster, "gateway", "quickstart", "causeway.dev/Proxies", "message") == "1 ready, 0 serving generation 2, 1 refused")

        try cluster.kubectl("patch", "gateway", "quickstart", "--type=json", "-p", #"[{"op":"remove","path":"/spec/listeners/1"}]"#)
        let recovered = await eventually { Self.condition(cluster, "gateway", "quickstart", "Programmed") == "True" }
        #expect(recovered, "removing the clash programs the Gateway again")
    }

    @Test func aKilledProxyDropsProgrammedUntilItIsBack() async throws {
        let (cluster, traffic, address) = try await Self.quickstartCluster()
        defer { cluster.stop() }
        // The proxy processes of this cluster: their arguments name files under its pod directory.
        let marker = "causeway-dev-\(cluster.process.processIdentifier)/pods/default_quickstart"
        let pgrep = try #require(CommandRunner.which("pgrep"))
        let pids = try CommandRunner.run(pgrep, ["-f", marker]).stdout.split(separator: "\n").compactMap { Int32($0) }
        #expect(pids.count == 1, "one proxy process runs the Gateway")
        // Follow Programmed as kubectl's watch prints it: the drop may last only until the kubelet
        // has restarted the proxy, too short for polling to be sure to see.
        let (watch, lines) = try cluster.kubectlStreaming([
            "get", "gateway", "quickstart", "-w", "-o", #"jsonpath={.status.conditions[?(@.type=="Programmed")].status}{"\n"}"#,
        ])
        defer { watch.terminate() }
        #expect(lines.waitFor("True", timeout: 10), "the watch starts at True")
        for pid in pids { kill(pid, SIGKILL) }
        let dropped = lines.waitFor("True\nFalse", timeout: 20)
        #expect(dropped, "Programmed drops while no proxy serves: \(lines.text)")
        let back = await eventually(timeout: .seconds(30)) {
            Self.condition(cluster, "gateway", "quickstart", "Programmed") == "True"
                && traffic.get(address, host: "api.example.com", path: "/v1/users").status == 200
        }
        #expect(back, "the kubelet restarts the proxy and the Gateway is Programmed and serving again")
        let restarts = GatewayControllerEndToEndTests.field(
            cluster, ["pods", "-l", "gateway.networking.k8s.io/gateway-name=quickstart"], "{.items[0].status.containerStatuses[0].restartCount}")
        #expect(restarts == "1", "the pod reports its restart")
    }
}

/// The controller as a process of its own, restarted while traffic flows.
@Suite(.serialized) struct ControllerRestartEndToEndTests {
    @Test func restartingTheControllerFailsNoRequest() async throws {
        let cluster = try DevProcess.readyForController()
        defer { cluster.stop() }
        let port = freeTCPPort()
        let arguments = ["--no-leader-elect", "--proxy-image", "causeway:dev", "--config-address", "127.0.0.1",
                         "--control-plane-url", "https://127.0.0.1:\(port)"]
        var controller = try ControllerProcess(cluster: cluster, identity: "first", configPort: port, extraArguments: arguments)
        defer { controller.stop() }
        try cluster.kubectl("apply", "-f", GatewayTrafficEndToEndTests.quickstart)
        let traffic = GatewayTraffic(cluster: cluster)
        let ready = await eventually(timeout: .seconds(60)) {
            GatewayTrafficEndToEndTests.condition(cluster, "gateway", "quickstart", "Programmed") == "True"
                && traffic.get(traffic.address(gateway: "quickstart"), host: "api.example.com", path: "/v1/users").status == 200
        }
        try #require(ready, "the quick start serves; controller log: \(controller.output.text.suffix(2000))")
        let address = traffic.address(gateway: "quickstart")

        // Requests flow back to back from before the controller stops until after its successor
        // has programmed a change.
        let sent = Mutex(0)
        let load = Task.detached { () -> [Int] in
            var failed: [Int] = []
            while !Task.isCancelled {
                let status = traffic.get(address, host: "api.example.com", path: "/v1/users").status
                sent.withLock { $0 += 1 }
                if status != 200 { failed.append(status) }
            }
            return failed
        }
        _ = await eventually { sent.withLock { $0 } >= 5 }
        controller.stop()
        controller = try ControllerProcess(cluster: cluster, identity: "second", configPort: port, extraArguments: arguments)
        // The new controller serves: a route change reaches the proxies through it.
        try cluster.kubectl("patch", "httproute", "users", "--type=json", "-p", """
            [{"op":"replace","path":"/spec/rules/1/backendRefs/0/weight","value":0},
             {"op":"replace","path":"/spec/rules/1/backendRefs/1/weight","value":100}]
            """)
        let switched = await eventually(timeout: .seconds(60)) {
            (0..<5).allSatisfy { _ in traffic.get(address, host: "api.example.com", path: "/v1/users").pod.hasPrefix("users-v2") }
        }
        let before = sent.withLock { $0 }
        _ = await eventually { sent.withLock { $0 } >= before + 5 }
        load.cancel()
        let failed = await load.value
        #expect(switched, "the restarted controller programs the change; its log: \(controller.output.text.suffix(2000))")
        #expect(sent.withLock { $0 } >= 10, "traffic flowed before, during and after the restart")
        #expect(failed.isEmpty, "no request failed across the restart (\(sent.withLock { $0 }) sent): \(failed)")
        let programmed = await eventually { GatewayTrafficEndToEndTests.condition(cluster, "gateway", "quickstart", "Programmed") == "True" }
        #expect(programmed)
    }
}
