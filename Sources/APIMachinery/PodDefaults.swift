import KubeModel

/// The defaults the API server gives a pod spec (`SetDefaults_PodSpec`, containers, probes,
/// volumes), so stored pods and pod templates read back as from a real cluster.
enum PodDefaults {
    static func podSpec(_ spec: JSONValue) -> JSONValue {
        guard case .object(var members) = spec else { return spec }
        setIfMissing(&members, "dnsPolicy", "ClusterFirst")
        setIfMissing(&members, "restartPolicy", "Always")
        setIfMissing(&members, "schedulerName", "default-scheduler")
        setIfMissing(&members, "securityContext", .object([:]))
        setIfMissing(&members, "terminationGracePeriodSeconds", 30)
        for list in ["containers", "initContainers"] {
            if case .array(let items)? = members[list] { members[list] = .array(items.map(container)) }
        }
        if case .array(let items)? = members["ephemeralContainers"] {
            members["ephemeralContainers"] = .array(items.map(container))
        }
        if case .array(let volumes)? = members["volumes"] { members["volumes"] = .array(volumes.map(volume)) }
        return .object(members)
    }

    static func container(_ container: JSONValue) -> JSONValue {
        guard case .object(var members) = container else { return container }
        setIfMissing(&members, "terminationMessagePath", "/dev/termination-log")
        setIfMissing(&members, "terminationMessagePolicy", "File")
        setIfMissing(&members, "resources", .object([:]))
        if members["imagePullPolicy"] == nil, let image = members["image"]?.stringValue {
            members["imagePullPolicy"] = .string(pullPolicy(for: image))
        }
        if case .array(let ports)? = members["ports"] {
            members["ports"] = .array(ports.map { port in
                guard case .object(var fields) = port else { return port }
                setIfMissing(&fields, "protocol", "TCP")
                return .object(fields)
            })
        }
        for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
            if let value = members[probe] { members[probe] = self.probe(value) }
        }
        if case .array(let env)? = members["env"] {
            members["env"] = .array(env.map { variable in
                var result = variable
                if result[path: ["valueFrom", "fieldRef"]]?.objectValue != nil, result[path: ["valueFrom", "fieldRef", "apiVersion"]] == nil {
                    result[path: ["valueFrom", "fieldRef", "apiVersion"]] = "v1"
                }
                return result
            })
        }
        return .object(members)
    }

    /// `Always` for `:latest` or an untagged image, `IfNotPresent` otherwise (digests included).
    static func pullPolicy(for image: String) -> String {
        if image.contains("@") { return "IfNotPresent" }
        let lastComponent = image.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? image
        guard let colon = lastComponent.lastIndex(of: ":") else { return "Always" }
        return lastComponent[lastComponent.index(after: colon)...] == "latest" ? "Always" : "IfNotPresent"
    }

    static func probe(_ probe: JSONValue) -> JSONValue {
        guard case .object(var members) = probe else { return probe }
        setIfMissing(&members, "timeoutSeconds", 1)
        setIfMissing(&members, "periodSeconds", 10)
        setIfMissing(&members, "successThreshold", 1)
        setIfMissing(&members, "failureThreshold", 3)
        if case .object(var httpGet)? = members["httpGet"] {
            setIfMissing(&httpGet, "scheme", "HTTP")
            members["httpGet"] = .object(httpGet)
        }
        return .object(members)
    }

    static func volume(_ volume: JSONValue) -> JSONValue {
        guard case .object(var members) = volume else { return volume }
        for source in ["configMap", "secret", "projected", "downwardAPI"] {
            if case .object(var fields)? = members[source] {
                setIfMissing(&fields, "defaultMode", 420)
                members[source] = .object(fields)
            }
        }
        if case .object(var hostPath)? = members["hostPath"] {
            setIfMissing(&hostPath, "type", "")
            members["hostPath"] = .object(hostPath)
        }
        return .object(members)
    }

    static func setIfMissing(_ members: inout [String: JSONValue], _ key: String, _ value: JSONValue) {
        if members[key] == nil || members[key]?.isNull == true { members[key] = value }
    }
}
