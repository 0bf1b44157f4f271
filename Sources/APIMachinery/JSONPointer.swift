/// JSON Pointer (RFC 6901) tokens: `/a~1b/0` is `["a/b", "0"]`.
enum JSONPointer {
    /// The decoded tokens, or nil when the text does not start with `/` (the empty pointer is `[]`).
    static func tokens(_ pointer: String) -> [String]? {
        if pointer.isEmpty { return [] }
        guard pointer.hasPrefix("/") else { return nil }
        return pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map { decode(String($0)) }
    }

    static func decode(_ token: String) -> String {
        guard token.contains("~") else { return token }
        return token.replacing("~1", with: "/").replacing("~0", with: "~")
    }

    static func encode(_ token: String) -> String {
        token.replacing("~", with: "~0").replacing("/", with: "~1")
    }
}
