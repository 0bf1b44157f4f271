extension KeyedDecodingContainer {
    /// Decodes an optional field, falling back to the Gateway API default when it is absent or null.
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key, default fallback: @autoclosure () -> T) throws -> T {
        try decodeIfPresent(type, forKey: key) ?? fallback()
    }

    /// Decodes a field whose absence means "the default" and whose explicit `null` means "off".
    func decodeNullable<T: Decodable>(_ type: T.Type, forKey key: Key, default fallback: T?) throws -> T? {
        guard contains(key) else { return fallback }
        if try decodeNil(forKey: key) { return nil }
        return try decode(type, forKey: key)
    }
}
