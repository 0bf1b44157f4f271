/// A mutable list of header fields with case-insensitive names. NIO's `HTTPHeaders` has exactly
/// these methods, so the proxy conforms it with an empty extension; `HeaderList` is the pure one.
public protocol HeaderFields {
    /// Appends a field, keeping existing fields of that name.
    mutating func add(name: String, value: String)
    /// Removes every field of that name, then appends this one.
    mutating func replaceOrAdd(name: String, value: String)
    /// Removes every field of that name.
    mutating func remove(name: String)
}

extension HTTPHeaderFilter {
    /// Applies the modifier: `remove`, then `set`, then `add` — so a header both removed and added
    /// ends up with the added value, and `add` appends to a value just `set`.
    public func apply<Fields: HeaderFields>(to fields: inout Fields) {
        for name in remove { fields.remove(name: name) }
        for header in set { fields.replaceOrAdd(name: header.name, value: header.value) }
        for header in add { fields.add(name: header.name, value: header.value) }
    }

    /// Whether applying it changes nothing (lets the proxy skip work).
    public var isEmpty: Bool { self.set.isEmpty && self.add.isEmpty && self.remove.isEmpty }
}

/// An ordered list of header fields, names compared case-insensitively, names kept as given.
public struct HeaderList: HeaderFields, RandomAccessCollection, Hashable, Sendable, ExpressibleByArrayLiteral {
    public typealias Element = (name: String, value: String)
    public private(set) var fields: [HTTPHeader]

    public init(_ fields: [(String, String)] = []) {
        self.fields = fields.map { HTTPHeader(name: $0.0, value: $0.1) }
    }

    public init(arrayLiteral elements: (String, String)...) { self.init(elements) }

    public var startIndex: Int { fields.startIndex }
    public var endIndex: Int { fields.endIndex }
    public subscript(position: Int) -> Element { (fields[position].name, fields[position].value) }

    /// Every value of `name`, in order.
    public func values(named name: String) -> [String] {
        let lowered = name.lowercased()
        return fields.filter { HeaderName.equals($0.name, lowercased: lowered) }.map(\.value)
    }

    public mutating func add(name: String, value: String) {
        fields.append(HTTPHeader(name: name, value: value))
    }

    public mutating func replaceOrAdd(name: String, value: String) {
        remove(name: name)
        add(name: name, value: value)
    }

    public mutating func remove(name: String) {
        let lowered = name.lowercased()
        fields.removeAll { HeaderName.equals($0.name, lowercased: lowered) }
    }
}
