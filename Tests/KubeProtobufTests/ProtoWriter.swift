/// A tiny protobuf encoder for building test bodies by hand, field by field.
struct ProtoWriter {
    private(set) var bytes: [UInt8] = []

    mutating func key(_ field: Int, wireType: UInt8) {
        rawVarint(UInt64(field) << 3 | UInt64(wireType))
    }

    mutating func rawVarint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    /// int32, int64 and enum-like fields: negatives sign-extended to ten bytes, as Go writes them.
    mutating func int(_ field: Int, _ value: Int64) {
        key(field, wireType: 0)
        rawVarint(UInt64(bitPattern: value))
    }

    mutating func bool(_ field: Int, _ value: Bool) { int(field, value ? 1 : 0) }

    mutating func bytes(_ field: Int, _ value: [UInt8]) {
        key(field, wireType: 2)
        rawVarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    mutating func string(_ field: Int, _ value: String) { bytes(field, Array(value.utf8)) }

    mutating func message(_ field: Int, _ build: (inout ProtoWriter) -> Void) {
        var inner = ProtoWriter()
        build(&inner)
        bytes(field, inner.bytes)
    }

    /// A `map<string, string>` entry.
    mutating func entry(_ field: Int, _ key: String, _ value: String) {
        message(field) { $0.string(1, key); $0.string(2, value) }
    }

    /// A `map<string, bytes>` entry.
    mutating func entry(_ field: Int, _ key: String, bytes value: [UInt8]) {
        message(field) { $0.string(1, key); $0.bytes(2, value) }
    }

    /// A `map<string, Quantity>` entry.
    mutating func quantity(_ field: Int, _ key: String, _ value: String) {
        message(field) { entry in
            entry.string(1, key)
            entry.message(2) { $0.string(1, value) }
        }
    }

    /// The `k8s\0` + runtime.Unknown envelope around an object's encoding.
    static func envelope(apiVersion: String, kind: String, _ build: (inout ProtoWriter) -> Void) -> [UInt8] {
        var object = ProtoWriter()
        build(&object)
        var unknown = ProtoWriter()
        unknown.message(1) { $0.string(1, apiVersion); $0.string(2, kind) }
        unknown.bytes(2, object.bytes)
        unknown.string(3, "")
        unknown.string(4, "")
        return Array("k8s".utf8) + [0] + unknown.bytes
    }
}
