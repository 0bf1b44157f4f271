/// What the `Transfer-Encoding` fields of a message say: how many codings, and whether the last
/// one is `chunked`, which alone frames a body (RFC 9112 §6.1, §6.3). Read the same way by the
/// HTTP/1 parser, the request's header facts and the upstream request encoder.
struct TransferEncodingField {
    private(set) var count = 0
    private(set) var lastIsChunked = false

    var isPresent: Bool { count > 0 }

    mutating func add(_ field: String) {
        HopByHopHeaders.forEachListElement(of: field) { coding in
            count += 1
            lastIsChunked = coding.isToken("chunked")
        }
    }
}
