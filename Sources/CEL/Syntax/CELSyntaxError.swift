/// A problem found while parsing, at a UTF-8 offset of the source.
struct CELSyntaxError: Error, Sendable {
    var offset: Int
    var message: String
}
