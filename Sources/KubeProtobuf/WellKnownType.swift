import KubeModel

/// Messages whose JSON form is not an object of their fields: Kubernetes gives them custom JSON
/// marshalling, so the decoder turns them into the JSON value those marshallers write.
enum WellKnownType {
    /// metav1.Time {seconds = 1, nanos = 2} → RFC 3339 in UTC to the second; zero → absent.
    case time
    /// metav1.MicroTime, the same fields → RFC 3339 in UTC with six fractional digits; zero → absent.
    case microTime
    /// resource.Quantity {string = 1} → its canonical string.
    case quantity
    /// intstr.IntOrString {type = 1 (0 int, 1 string), intVal = 2, strVal = 3} → a number or a string.
    case intOrString
    /// metav1.FieldsV1 {Raw = 1}: JSON bytes → that JSON.
    case fieldsV1
    /// runtime.RawExtension {raw = 1}: JSON bytes → that JSON.
    case rawExtension

    init?(messageName: String) {
        switch messageName {
        case "meta.Time": self = .time
        case "meta.MicroTime": self = .microTime
        case "resource.Quantity": self = .quantity
        case "intstr.IntOrString": self = .intOrString
        case "meta.FieldsV1": self = .fieldsV1
        case "runtime.RawExtension": self = .rawExtension
        default: return nil
        }
    }

    /// Decodes the message in `range`; `.null` stands for a value JSON leaves out.
    func decode(_ bytes: [UInt8], range: Range<Int>) throws(ProtobufDecodingError) -> JSONValue {
        var reader = WireReader(bytes, range: range)
        var integers: [Int: UInt64] = [:]
        var lengthDelimited: [Int: Range<Int>] = [:]
        while !reader.isAtEnd {
            let (number, wireType) = try reader.readKey()
            switch wireType {
            case .varint: integers[number] = try reader.readVarint()
            case .lengthDelimited: lengthDelimited[number] = try reader.readLengthDelimited()
            default: try reader.skip(wireType, fieldNumber: number)
            }
        }
        func string(_ number: Int) -> String {
            lengthDelimited[number].map { String(decoding: bytes[$0], as: UTF8.self) } ?? ""
        }
        switch self {
        case .time, .microTime:
            let seconds = Int64(bitPattern: integers[1] ?? 0)
            let nanos = Int64(Int32(truncatingIfNeeded: integers[2] ?? 0))
            if seconds == 0 && nanos == 0 { return .null }
            guard (0..<1_000_000_000).contains(nanos) else { throw .malformed("timestamp nanos \(nanos) out of range") }
            guard let text = RFC3339.format(seconds: seconds, micros: self == .microTime ? nanos / 1000 : nil) else {
                throw .malformed("timestamp \(seconds) is outside years 0001-9999")
            }
            return .string(text)
        case .quantity:
            let text = string(1)
            return .string(text.isEmpty ? "0" : text)
        case .intOrString:
            switch integers[1] ?? 0 {
            case 0: return .int(Int64(Int32(truncatingIfNeeded: integers[2] ?? 0)))
            case 1: return .string(string(3))
            case let other: throw .malformed("IntOrString has unknown type \(other)")
            }
        case .fieldsV1, .rawExtension:
            guard let raw = lengthDelimited[1], !raw.isEmpty else { return .null }
            do {
                return try JSONValue(parsing: bytes[raw])
            } catch {
                throw .malformed("embedded JSON is invalid: \(error)")
            }
        }
    }
}
