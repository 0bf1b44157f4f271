/// What the `Content-Length` fields of a message say, read element by element (RFC 9110 §8.6):
/// each field is a list, empty elements are skipped, every element must be digits only, and a
/// message may repeat the same number but not give two. One reading of these rules for the
/// HTTP/1 parser and for the request's header facts (which HTTP/2 requests get too).
struct ContentLengthField {
    /// Elements seen across all fields (a field with none counts as one, invalid).
    private(set) var count = 0
    /// The number the elements agree on.
    private(set) var value: Int?
    private(set) var invalid = false
    private(set) var conflict = false

    var isPresent: Bool { count > 0 }

    mutating func add(_ field: String) {
        var sawElement = false
        HopByHopHeaders.forEachListElement(of: field) { element in
            sawElement = true
            count += 1
            // 18 digits always fit in an Int.
            guard element.utf8.count <= 18, element.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
                invalid = true
                return
            }
            let number = element.utf8.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
            if let value, value != number { conflict = true }
            value = number
        }
        if !sawElement {
            count += 1
            invalid = true
        }
    }
}
