extension KeyedDecodingContainer {
    /// Decodes an optional field, falling back to the Gateway API default when it is absent or null.
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key, default fallback: @autoclosure () -> T) throws -> T {
        try decodeIfPresent(type, forKey: key) ?? fallback()
    }
}
