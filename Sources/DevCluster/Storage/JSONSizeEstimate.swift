import KubeModel

/// Roughly how many bytes a JSON value takes once encoded, without encoding it: the event log
/// weighs what it retains with this, cheaply enough to run on every write.
enum JSONSizeEstimate {
    static func bytes(of value: JSONValue) -> Int {
        switch value {
        case .null: 4
        case .bool: 5
        case .int: 8
        case .double: 12
        case .string(let string): string.utf8.count + 2
        case .array(let items): items.reduce(2) { $0 + bytes(of: $1) + 1 }
        case .object(let members): members.reduce(2) { $0 + $1.key.utf8.count + 4 + bytes(of: $1.value) }
        }
    }
}
