import KubeModel

/// The addresses a Pod's status reports (`status.podIPs`, `status.hostIPs`): each an IP, and at
/// most one per family, as the real server's `validatePodIPs`/`validateHostIPs` require.
enum PodStatusValidation {
    static func validate(_ pod: JSONValue) -> [FieldError] {
        addressList(pod[path: ["status", "podIPs"]], field: "status.podIPs")
            + addressList(pod[path: ["status", "hostIPs"]], field: "status.hostIPs")
    }

    private static func addressList(_ value: JSONValue?, field: String) -> [FieldError] {
        let entries = value?.arrayValue ?? []
        var errors: [FieldError] = []
        var families: [Bool] = []
        for (index, entry) in entries.enumerated() {
            let ip = entry["ip"]?.stringValue ?? ""
            if StringFormats.isIPv4(ip) {
                families.append(true)
            } else if StringFormats.isIPv6(ip) {
                families.append(false)
            } else {
                errors.append(.invalid("\(field)[\(index)]", .string(ip), "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"))
            }
        }
        if entries.count > 1 {
            let dualStack = families.count == 2 && families[0] != families[1]
            if !dualStack || entries.count > 2 {
                errors.append(.invalid(field, value, "may specify no more than one IP for each IP family"))
            }
            var seen = Set<String>()
            for (index, entry) in entries.enumerated() {
                let ip = entry["ip"]?.stringValue ?? ""
                if !seen.insert(ip).inserted { errors.append(.duplicate("\(field)[\(index)]", entry)) }
            }
        }
        return errors
    }
}
