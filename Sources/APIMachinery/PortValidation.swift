import KubeModel

/// Port numbers, port names and protocols, as Services and containers check them.
enum PortValidation {
    static let protocols = ["SCTP", "TCP", "UDP"]

    static func portNumber(_ port: Int64) -> [String] {
        (1...65535).contains(port) ? [] : ["must be between 1 and 65535, inclusive"]
    }

    /// IANA-style port names: at most 15 of `[-a-z0-9]`, a letter somewhere, no `--`, no dash at either end.
    static func portName(_ name: String) -> [String] {
        var errors: [String] = []
        if name.utf8.count > 15 { errors.append(NameValidation.maxCharactersError(15)) }
        let allowed = !name.isEmpty && name.utf8.allSatisfy { ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: "-") }
        if !allowed { errors.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)") }
        if !name.utf8.contains(where: { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }) { errors.append("must contain at least one letter (a-z)") }
        if name.contains("--") { errors.append("must not contain consecutive hyphens") }
        if name.hasPrefix("-") || name.hasSuffix("-") { errors.append("must not begin or end with a hyphen") }
        return errors
    }

    /// An int-or-string port: a number in range or a valid port name.
    static func numberOrName(_ value: JSONValue, field: String) -> [FieldError] {
        switch value {
        case .string(let name): return portName(name).map { .invalid(field, value, $0) }
        default:
            let number = value.intValue ?? 0
            return portNumber(number).map { .invalid(field, .int(number), $0) }
        }
    }

    static func protocolErrors(_ value: JSONValue?, field: String) -> [FieldError] {
        guard let name = value?.stringValue, !name.isEmpty else { return [.required(field)] }
        return protocols.contains(name) ? [] : [.notSupported(field, .string(name), supported: protocols)]
    }

    /// A Service's type and ports (allocation of IPs and node ports is the server's).
    static func service(_ object: JSONValue) -> [FieldError] {
        var errors: [FieldError] = []
        let spec = object["spec"] ?? .object([:])
        let type = spec["type"]?.stringValue ?? "ClusterIP"
        let types = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]
        if !types.contains(type) {
            errors.append(.notSupported("spec.type", .string(type), supported: types))
        }
        let ports = spec["ports"]?.arrayValue ?? []
        let headless = spec["clusterIP"]?.stringValue == "None"
        if ports.isEmpty && !headless && type != "ExternalName" {
            errors.append(.required("spec.ports"))
        }
        var names = Set<String>()
        for (index, port) in ports.enumerated() {
            let path = "spec.ports[\(index)]"
            let name = port["name"]?.stringValue ?? ""
            if ports.count > 1 && name.isEmpty {
                errors.append(.required("\(path).name"))
            } else if !name.isEmpty {
                errors += NameValidation.dns1123Label(name).map { .invalid("\(path).name", .string(name), $0) }
                if !names.insert(name).inserted { errors.append(.duplicate("\(path).name", .string(name))) }
            }
            let number = port["port"]?.intValue ?? 0
            errors += portNumber(number).map { .invalid("\(path).port", .int(number), $0) }
            errors += protocolErrors(port["protocol"], field: "\(path).protocol")
            if let target = port["targetPort"] {
                errors += numberOrName(target, field: "\(path).targetPort")
            }
            if let nodePort = port["nodePort"]?.intValue, nodePort != 0 {
                if type == "ClusterIP" || type == "ExternalName" {
                    errors.append(.forbidden("\(path).nodePort", "may not be used when `type` is '\(type)'"))
                } else {
                    errors += portNumber(nodePort).map { .invalid("\(path).nodePort", .int(nodePort), $0) }
                }
            }
        }
        return errors
    }

    /// Container ports: numbers in range, names unique within the pod, known protocols.
    static func containerPorts(_ ports: [JSONValue], field: String, names: inout Set<String>) -> [FieldError] {
        var errors: [FieldError] = []
        for (index, port) in ports.enumerated() {
            let path = "\(field)[\(index)]"
            if let name = port["name"]?.stringValue, !name.isEmpty {
                let problems = portName(name)
                if !problems.isEmpty {
                    errors += problems.map { .invalid("\(path).name", .string(name), $0) }
                } else if !names.insert(name).inserted {
                    errors.append(.duplicate("\(path).name", .string(name)))
                }
            }
            let number = port["containerPort"]?.intValue ?? 0
            if number == 0 {
                errors.append(.required("\(path).containerPort"))
            } else {
                errors += portNumber(number).map { .invalid("\(path).containerPort", .int(number), $0) }
            }
            if let host = port["hostPort"]?.intValue, host != 0 {
                errors += portNumber(host).map { .invalid("\(path).hostPort", .int(host), $0) }
            }
            errors += protocolErrors(port["protocol"], field: "\(path).protocol")
        }
        return errors
    }
}
