/// Literal syntax for building values in Swift (`.list([1, 2])`, `"a"`).
extension CELValue: ExpressibleByIntegerLiteral, ExpressibleByStringLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByFloatLiteral
{
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
}

extension CELList: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: CELValue...) {
        self.init(elements)
    }
}
