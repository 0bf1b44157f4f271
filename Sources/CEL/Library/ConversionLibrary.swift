import KubeModel

/// Type conversions: `int()`, `uint()`, `double()`, `string()`, `bytes()`, `bool()`, `type()`, `dyn()`.
enum ConversionLibrary {
    static let functions: [CELFunction] = [
        CELFunction("int", [.int, .uint, .double, .string, .timestamp, .duration].map { .global([$0], .int) }) { (arguments) throws(CELError) -> CELValue in
            switch arguments[0] {
            case .int(let value): return .int(value)
            case .uint(let value):
                guard value <= UInt64(Int64.max) else { throw .integerOverflow }
                return .int(Int64(value))
            case .double(let value):
                guard value.isFinite, value > -9.223372036854775808e18, value < 9.223372036854775807e18 else { throw .integerOverflow }
                return .int(Int64(value.rounded(.towardZero)))
            case .string(let text):
                guard let value = Int64(text) else { throw CELError("strconv.ParseInt: parsing \(GoQuote.quote(text)): invalid syntax") }
                return .int(value)
            case .timestamp(let timestamp): return .int(timestamp.seconds)
            case .duration(let nanos): return .int(nanos)
            default: throw .noSuchOverload
            }
        },
        CELFunction("uint", [.int, .uint, .double, .string].map { .global([$0], .uint) }) { (arguments) throws(CELError) -> CELValue in
            switch arguments[0] {
            case .int(let value):
                guard value >= 0 else { throw .unsignedOverflow }
                return .uint(UInt64(value))
            case .uint(let value): return .uint(value)
            case .double(let value):
                guard value.isFinite, value > -1, value < 1.8446744073709551615e19 else { throw .unsignedOverflow }
                return .uint(UInt64(value.rounded(.towardZero)))
            case .string(let text):
                guard let value = UInt64(text) else { throw CELError("strconv.ParseUint: parsing \(GoQuote.quote(text)): invalid syntax") }
                return .uint(value)
            default: throw .noSuchOverload
            }
        },
        CELFunction("double", [.int, .uint, .double, .string].map { .global([$0], .double) }) { (arguments) throws(CELError) -> CELValue in
            switch arguments[0] {
            case .int(let value): return .double(Double(value))
            case .uint(let value): return .double(Double(value))
            case .double(let value): return .double(value)
            case .string(let text):
                guard let value = Double(text) else { throw CELError("strconv.ParseFloat: parsing \(GoQuote.quote(text)): invalid syntax") }
                return .double(value)
            default: throw .noSuchOverload
            }
        },
        CELFunction("string", [.int, .uint, .double, .string, .bytes, .bool, .timestamp, .duration].map { .global([$0], .string) }
            + [.global([.ip], .string), .global([.cidr], .string)]) { (arguments) throws(CELError) -> CELValue in
            switch arguments[0] {
            case .string(let text): return .string(text)
            case .int(let value): return .string(String(value))
            case .uint(let value): return .string(String(value))
            case .double(let value): return .string(GoFloat.format(value))
            case .bool(let value): return .string(value ? "true" : "false")
            case .bytes(let bytes):
                guard let text = String(validating: bytes, as: UTF8.self) else { throw CELError("invalid UTF-8 in bytes, cannot convert to string") }
                return .string(text)
            case .timestamp(let timestamp): return .string(TimeSyntax.format(timestamp))
            case .duration(let nanos): return .string(TimeSyntax.format(duration: nanos))
            case .opaque(let value as IPAddress): return .string(value.description)
            case .opaque(let value as CIDRValue): return .string(value.description)
            default: throw .noSuchOverload
            }
        },
        CELFunction("bytes", [.global([.string], .bytes), .global([.bytes], .bytes)]) { (arguments) throws(CELError) -> CELValue in
            switch arguments[0] {
            case .string(let text): return .bytes(Array(text.utf8))
            case .bytes(let bytes): return .bytes(bytes)
            default: throw .noSuchOverload
            }
        },
        CELFunction("bool", [.global([.bool], .bool), .global([.string], .bool)]) { (arguments) throws(CELError) -> CELValue in
            switch arguments[0] {
            case .bool(let flag): return .bool(flag)
            case .string(let text):
                switch text {
                case "1", "t", "T", "TRUE", "true", "True": return .bool(true)
                case "0", "f", "F", "FALSE", "false", "False": return .bool(false)
                default: throw CELError("type conversion error from 'string' to 'bool'")
                }
            default: throw .noSuchOverload
            }
        },
        CELFunction("dyn", [.global([.a], .dyn)]) { arguments in arguments[0] },
        CELFunction("type", [.global([.a], .type(.a))]) { arguments in .type(runtimeType(arguments[0])) },
    ]

    static func runtimeType(_ value: CELValue) -> CELType {
        switch value {
        case .null: return .null
        case .bool: return .bool
        case .int: return .int
        case .uint: return .uint
        case .double: return .double
        case .string: return .string
        case .bytes: return .bytes
        case .duration: return .duration
        case .timestamp: return .timestamp
        case .list: return .list(.dyn)
        case .map(let map): return map.object.map(CELType.object) ?? .map(.dyn, .dyn)
        case .type(let type): return .type(type)
        case .optional: return .optional(.dyn)
        case .opaque(let value): return .opaque(value.typeName)
        }
    }
}
