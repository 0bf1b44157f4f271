import NIOHTTP1

extension HTTPHeaders {
    /// Each field in order, read by index through the concrete subscript. A `for` loop over the
    /// collection goes through its protocol witness, whose read coroutine allocates a frame per
    /// field in unoptimized builds, where the allocation budget is checked.
    @inline(__always)
    func forEachField(_ body: (String, String) throws -> Void) rethrows {
        var index = startIndex
        while index < endIndex {
            let field = self[index]
            try body(field.name, field.value)
            index = self.index(after: index)
        }
    }
}
