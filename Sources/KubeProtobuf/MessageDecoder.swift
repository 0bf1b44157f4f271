import KubeModel

/// Turns the protobuf encoding of a described message into the JSON object the same Go value
/// marshals to: members named by their json tags, inlined embeddings merged, zero values of
/// `omitempty` non-pointer fields left out, present pointer fields kept even when zero.
struct MessageDecoder {
    let table: DescriptorTable
    let bytes: [UInt8]

    /// Deeper nesting than any Kubernetes object has; guards the stack against hostile input.
    static let maximumDepth = 64

    func decodeObject(_ name: String, in range: Range<Int>, depth: Int = 0) throws(ProtobufDecodingError) -> [String: JSONValue] {
        guard depth < Self.maximumDepth else { throw .malformed("messages nested deeper than \(Self.maximumDepth) levels") }
        guard let descriptor = table.messages[name] else {
            preconditionFailure("descriptor table references unknown message \(name)")
        }
        var singles: [Int: JSONValue] = [:]
        var lists: [Int: [JSONValue]] = [:]
        var maps: [Int: [String: JSONValue]] = [:]
        var reader = WireReader(bytes, range: range)
        while !reader.isAtEnd {
            let (number, wireType) = try reader.readKey()
            guard let field = descriptor.fields[number] else {
                try reader.skip(wireType, fieldNumber: number)
                continue
            }
            do {
                switch field.shape {
                case .single:
                    let value = try readValue(field.type, wireType: wireType, from: &reader, depth: depth)
                    // A message sent twice merges, as protobuf specifies; a scalar's last value wins.
                    if case .object(let newer) = value, case .object(let older)? = singles[number] {
                        singles[number] = .object(older.merging(newer) { _, last in last })
                    } else {
                        singles[number] = value
                    }
                case .repeated:
                    if wireType == .lengthDelimited, field.type.isPackable {
                        let packed = try reader.readLengthDelimited()
                        var elements = WireReader(bytes, range: packed)
                        while !elements.isAtEnd {
                            let element = try readValue(field.type, wireType: field.type.wireType, from: &elements, depth: depth)
                            lists[number, default: []].append(element)
                        }
                    } else {
                        let element = try readValue(field.type, wireType: wireType, from: &reader, depth: depth)
                        lists[number, default: []].append(element)
                    }
                case .map:
                    try expect(.lengthDelimited, got: wireType)
                    let (key, value) = try readMapEntry(field.type, in: reader.readLengthDelimited(), depth: depth)
                    maps[number, default: [:]][key] = value
                }
            } catch {
                // Inlined members have no name of their own: their errors belong to the parent.
                guard !field.isInline else { throw error }
                throw error.within(field.jsonName + Self.elementSuffix(field, lists[number]?.count))
            }
        }

        var object: [String: JSONValue] = [:]
        for (number, value) in singles {
            let field = descriptor.fields[number]!
            if Self.leavesOut(value, of: field) { continue }
            if field.isInline {
                object.merge(value.objectValue ?? [:]) { _, last in last }
            } else {
                object[field.jsonName] = value
            }
        }
        for (number, elements) in lists { object[descriptor.fields[number]!.jsonName] = .array(elements) }
        for (number, entries) in maps { object[descriptor.fields[number]!.jsonName] = .object(entries) }
        return object
    }

    /// `[index]` of the element being read when a repeated field fails.
    private static func elementSuffix(_ field: FieldDescriptor, _ listCount: Int?) -> String {
        field.shape == .repeated ? "[\(listCount ?? 0)]" : ""
    }

    /// What encoding/json leaves out: nothing of a pointer that was set, and otherwise the zero
    /// scalar of an `omitempty` field. Structs are always written, as Go writes them.
    static func leavesOut(_ value: JSONValue, of field: FieldDescriptor) -> Bool {
        if value.isNull { return true }
        if field.isPointer || !field.omitsEmpty { return false }
        switch value {
        case .string(let text): return text.isEmpty
        case .int(let number): return number == 0
        case .double(let number): return number == 0
        case .bool(let flag): return !flag
        default: return false
        }
    }

    private func readValue(
        _ type: ValueType, wireType: WireType, from reader: inout WireReader, depth: Int
    ) throws(ProtobufDecodingError) -> JSONValue {
        try expect(type.wireType, got: wireType)
        switch type {
        case .string:
            return .string(String(decoding: bytes[try reader.readLengthDelimited()], as: UTF8.self))
        case .bytes:
            return .string(Base64.encode(bytes[try reader.readLengthDelimited()]))
        case .int32:
            // Kubernetes int32 fields are plain varints; negatives arrive sign-extended to 64 bits.
            return .int(Int64(Int32(truncatingIfNeeded: try reader.readVarint())))
        case .int64:
            return .int(Int64(bitPattern: try reader.readVarint()))
        case .bool:
            return .bool(try reader.readVarint() != 0)
        case .double:
            return .double(Double(bitPattern: try reader.readFixed64()))
        case .float:
            return .double(Double(Float(bitPattern: try reader.readFixed32())))
        case .message(let name):
            let range = try reader.readLengthDelimited()
            if let wellKnown = WellKnownType(messageName: name) {
                return try wellKnown.decode(bytes, range: range)
            }
            if let element = table.messages[name]?.listElement {
                return try decodeList(of: element, in: range, depth: depth + 1)
            }
            return .object(try decodeObject(name, in: range, depth: depth + 1))
        }
    }

    /// A Go named slice wrapped as {repeated items = 1}: JSON writes the bare array.
    private func decodeList(of element: ValueType, in range: Range<Int>, depth: Int) throws(ProtobufDecodingError) -> JSONValue {
        var reader = WireReader(bytes, range: range)
        var elements: [JSONValue] = []
        while !reader.isAtEnd {
            let (number, wireType) = try reader.readKey()
            if number == 1 {
                elements.append(try readValue(element, wireType: wireType, from: &reader, depth: depth))
            } else {
                try reader.skip(wireType, fieldNumber: number)
            }
        }
        return .array(elements)
    }

    /// A map entry {key = 1, value = 2}; a missing part is its type's zero value.
    private func readMapEntry(
        _ valueType: ValueType, in range: Range<Int>, depth: Int
    ) throws(ProtobufDecodingError) -> (String, JSONValue) {
        var reader = WireReader(bytes, range: range)
        var key = ""
        var value: JSONValue?
        while !reader.isAtEnd {
            let (number, wireType) = try reader.readKey()
            switch number {
            case 1:
                try expect(.lengthDelimited, got: wireType)
                key = String(decoding: bytes[try reader.readLengthDelimited()], as: UTF8.self)
            case 2:
                value = try readValue(valueType, wireType: wireType, from: &reader, depth: depth)
            default:
                try reader.skip(wireType, fieldNumber: number)
            }
        }
        if let value { return (key, value) }
        return (key, try zeroValue(valueType, depth: depth))
    }

    private func zeroValue(_ type: ValueType, depth: Int) throws(ProtobufDecodingError) -> JSONValue {
        switch type {
        case .string, .bytes: return .string("")
        case .int32, .int64: return .int(0)
        case .bool: return .bool(false)
        case .double, .float: return .double(0)
        case .message(let name):
            let nothing = 0..<0
            if let wellKnown = WellKnownType(messageName: name) { return try wellKnown.decode(bytes, range: nothing) }
            if table.messages[name]?.listElement != nil { return .array([]) }
            return .object(try decodeObject(name, in: nothing, depth: depth + 1))
        }
    }

    private func expect(_ expected: WireType, got actual: WireType) throws(ProtobufDecodingError) {
        guard expected == actual else {
            throw .malformed("wire type \(actual.rawValue) where wire type \(expected.rawValue) was expected")
        }
    }
}

extension ValueType {
    var wireType: WireType {
        switch self {
        case .string, .bytes, .message: return .lengthDelimited
        case .int32, .int64, .bool: return .varint
        case .double: return .fixed64
        case .float: return .fixed32
        }
    }

    /// Scalars a repeated field may send packed in one length-delimited run.
    var isPackable: Bool { wireType != .lengthDelimited }
}
