/// Splits CEL source into tokens, decoding literals (escapes, raw strings, bytes, hex, `u` suffixes)
/// as the CEL language definition specifies.
struct Lexer {
    private let bytes: [UInt8]
    private var position = 0

    init(_ source: String) {
        bytes = Array(source.utf8)
    }

    /// Punctuation, longest first so `<=` wins over `<`.
    private static let punctuation: [String] = [
        "==", "!=", "<=", ">=", "&&", "||", ".?", "[?",
        "<", ">", "!", "+", "-", "*", "/", "%", "?", ":", ".", ",", "(", ")", "[", "]", "{", "}",
    ]

    mutating func tokens() throws(CELSyntaxError) -> [Token] {
        var result: [Token] = []
        while true {
            let token = try next()
            result.append(token)
            if token.kind == .end { return result }
        }
    }

    private func peek(_ ahead: Int = 0) -> UInt8? {
        position + ahead < bytes.count ? bytes[position + ahead] : nil
    }

    private mutating func skipSpaceAndComments() {
        while let byte = peek() {
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C {
                position += 1
            } else if byte == UInt8(ascii: "/"), peek(1) == UInt8(ascii: "/") {
                while let next = peek(), next != 0x0A { position += 1 }
            } else {
                return
            }
        }
    }

    private static func isIdentifierStart(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == UInt8(ascii: "_")
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    private mutating func next() throws(CELSyntaxError) -> Token {
        skipSpaceAndComments()
        let start = position
        guard let byte = peek() else { return Token(kind: .end, offset: start) }

        if Self.isIdentifierStart(byte) {
            // String prefixes: r/R for raw, b/B for bytes, in either order.
            var prefixLength = 0
            var raw = false
            var isBytes = false
            while prefixLength < 2, let letter = peek(prefixLength) {
                if (letter == UInt8(ascii: "r") || letter == UInt8(ascii: "R")) && !raw {
                    raw = true
                } else if (letter == UInt8(ascii: "b") || letter == UInt8(ascii: "B")) && !isBytes {
                    isBytes = true
                } else {
                    break
                }
                prefixLength += 1
            }
            if prefixLength > 0, let quote = peek(prefixLength), quote == UInt8(ascii: "'") || quote == UInt8(ascii: "\"") {
                position += prefixLength
                return try stringLiteral(start: start, raw: raw, isBytes: isBytes)
            }
            while let next = peek(), Self.isIdentifierStart(next) || Self.isDigit(next) { position += 1 }
            let name = String(decoding: bytes[start..<position], as: UTF8.self)
            return Token(kind: .identifier(name), offset: start)
        }
        if byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"") {
            return try stringLiteral(start: start, raw: false, isBytes: false)
        }
        if Self.isDigit(byte) || (byte == UInt8(ascii: ".") && peek(1).map(Self.isDigit) == true) {
            return try number(start: start)
        }
        for symbol in Self.punctuation {
            let symbolBytes = Array(symbol.utf8)
            if position + symbolBytes.count <= bytes.count, Array(bytes[position..<position + symbolBytes.count]) == symbolBytes {
                position += symbolBytes.count
                return Token(kind: .punctuation(symbol), offset: start)
            }
        }
        throw CELSyntaxError(offset: start, message: "Syntax error: token recognition error at: '\(String(decoding: [byte], as: UTF8.self))'")
    }

    private mutating func number(start: Int) throws(CELSyntaxError) -> Token {
        if peek() == UInt8(ascii: "0"), let x = peek(1), x == UInt8(ascii: "x") || x == UInt8(ascii: "X") {
            position += 2
            let digitsStart = position
            while let next = peek(), next.isHexDigit { position += 1 }
            let digits = String(decoding: bytes[digitsStart..<position], as: UTF8.self)
            guard let magnitude = UInt64(digits, radix: 16) else {
                throw CELSyntaxError(offset: start, message: "invalid int literal")
            }
            return try integerToken(magnitude, start: start)
        }
        var isDouble = false
        while let next = peek(), Self.isDigit(next) { position += 1 }
        if peek() == UInt8(ascii: "."), let after = peek(1), Self.isDigit(after) {
            isDouble = true
            position += 1
            while let next = peek(), Self.isDigit(next) { position += 1 }
        }
        if let e = peek(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            var lookahead = 1
            if let sign = peek(1), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { lookahead = 2 }
            if let digit = peek(lookahead), Self.isDigit(digit) {
                isDouble = true
                position += lookahead
                while let next = peek(), Self.isDigit(next) { position += 1 }
            }
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        if isDouble {
            guard let value = Double(text) else { throw CELSyntaxError(offset: start, message: "invalid double literal") }
            return Token(kind: .double(value), offset: start)
        }
        guard let magnitude = UInt64(text) else { throw CELSyntaxError(offset: start, message: "invalid int literal") }
        return try integerToken(magnitude, start: start)
    }

    private mutating func integerToken(_ magnitude: UInt64, start: Int) throws(CELSyntaxError) -> Token {
        if let suffix = peek(), suffix == UInt8(ascii: "u") || suffix == UInt8(ascii: "U") {
            position += 1
            return Token(kind: .uint(magnitude), offset: start)
        }
        if magnitude <= UInt64(Int64.max) { return Token(kind: .int(Int64(magnitude)), offset: start) }
        return Token(kind: .intMagnitude(magnitude), offset: start)
    }

    private mutating func stringLiteral(start: Int, raw: Bool, isBytes: Bool) throws(CELSyntaxError) -> Token {
        let quote = bytes[position]
        let triple = peek(1) == quote && peek(2) == quote
        position += triple ? 3 : 1
        var decoded: [UInt8] = []
        while true {
            guard let byte = peek() else {
                throw CELSyntaxError(offset: start, message: "Syntax error: token recognition error at: '\(String(decoding: bytes[start...], as: UTF8.self))'")
            }
            if byte == quote && (!triple || (peek(1) == quote && peek(2) == quote)) {
                position += triple ? 3 : 1
                break
            }
            if !triple && (byte == 0x0A || byte == 0x0D) {
                throw CELSyntaxError(offset: start, message: "Syntax error: token recognition error at: '\(String(decoding: bytes[start..<position], as: UTF8.self))'")
            }
            if byte == UInt8(ascii: "\\") && !raw {
                try escape(into: &decoded, isBytes: isBytes)
                continue
            }
            if byte == UInt8(ascii: "\\"), raw, let next = peek(1), next == quote || next == UInt8(ascii: "\\") {
                // A raw string keeps the backslash, but it still cannot end on an escaped quote.
                decoded.append(byte)
                decoded.append(next)
                position += 2
                continue
            }
            decoded.append(byte)
            position += 1
        }
        if isBytes { return Token(kind: .bytes(decoded), offset: start) }
        return Token(kind: .string(String(decoding: decoded, as: UTF8.self)), offset: start)
    }

    private mutating func escape(into decoded: inout [UInt8], isBytes: Bool) throws(CELSyntaxError) {
        let escapeStart = position
        position += 1
        guard let code = peek() else { throw CELSyntaxError(offset: escapeStart, message: "invalid escape sequence") }
        position += 1
        func appendScalar(_ value: UInt32) throws(CELSyntaxError) {
            if isBytes && value <= 0xFF {
                decoded.append(UInt8(value))
                return
            }
            guard let scalar = Unicode.Scalar(value) else {
                throw CELSyntaxError(offset: escapeStart, message: "invalid unicode code point")
            }
            decoded.append(contentsOf: Array(String(Character(scalar)).utf8))
        }
        func hex(_ count: Int) throws(CELSyntaxError) -> UInt32 {
            guard position + count <= bytes.count,
                  let value = UInt32(String(decoding: bytes[position..<position + count], as: UTF8.self), radix: 16)
            else { throw CELSyntaxError(offset: escapeStart, message: "invalid escape sequence") }
            position += count
            return value
        }
        switch code {
        case UInt8(ascii: "a"): decoded.append(0x07)
        case UInt8(ascii: "b"): decoded.append(0x08)
        case UInt8(ascii: "f"): decoded.append(0x0C)
        case UInt8(ascii: "n"): decoded.append(0x0A)
        case UInt8(ascii: "r"): decoded.append(0x0D)
        case UInt8(ascii: "t"): decoded.append(0x09)
        case UInt8(ascii: "v"): decoded.append(0x0B)
        case UInt8(ascii: "\\"), UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "`"), UInt8(ascii: "?"):
            decoded.append(code)
        case UInt8(ascii: "x"), UInt8(ascii: "X"): try appendScalar(try hex(2))
        case UInt8(ascii: "u"):
            if isBytes { throw CELSyntaxError(offset: escapeStart, message: "invalid escape sequence") }
            try appendScalar(try hex(4))
        case UInt8(ascii: "U"):
            if isBytes { throw CELSyntaxError(offset: escapeStart, message: "invalid escape sequence") }
            try appendScalar(try hex(8))
        case UInt8(ascii: "0")...UInt8(ascii: "3"):
            guard position + 2 <= bytes.count,
                  let value = UInt32(String(decoding: bytes[position - 1..<position + 2], as: UTF8.self), radix: 8)
            else { throw CELSyntaxError(offset: escapeStart, message: "invalid escape sequence") }
            position += 2
            try appendScalar(value)
        default:
            throw CELSyntaxError(offset: escapeStart, message: "invalid escape sequence")
        }
    }
}

extension UInt8 {
    fileprivate var isHexDigit: Bool {
        (self >= 0x30 && self <= 0x39) || (self >= 0x41 && self <= 0x46) || (self >= 0x61 && self <= 0x66)
    }
}
