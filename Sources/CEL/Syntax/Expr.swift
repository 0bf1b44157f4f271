/// A node of a parsed CEL expression. Macros (`has`, `all`, `exists`, `exists_one`, `map`,
/// `filter`) are already expanded into `select(testOnly:)` and `comprehension` nodes, and operators
/// are calls with cel-go's operator names (`_+_`, `_[_]`, `@in`, ...), so error messages name them
/// the same way.
final class Expr: Sendable {
    let id: Int
    /// UTF-8 offset of the node in the source, for error carets.
    let offset: Int
    let kind: Kind
    /// Levels of nesting below and including this node; the parser bounds it so that checking,
    /// evaluating and releasing a tree never recurses deeply.
    let height: Int

    init(id: Int, offset: Int, kind: Kind) {
        self.id = id
        self.offset = offset
        self.kind = kind
        height = 1 + (kind.children.map(\.height).max() ?? 0)
    }

    enum Kind: Sendable {
        case literal(CELValue)
        case identifier(String)
        /// `operand.field`; `testOnly` for `has(operand.field)`, `optional` for `operand.?field`.
        case select(operand: Expr, field: String, testOnly: Bool, optional: Bool)
        case call(function: String, target: Expr?, arguments: [Expr])
        /// `optional[i]` marks `[?e]` entries.
        case list(elements: [Expr], optional: [Bool])
        case map(entries: [MapEntry])
        case comprehension(Comprehension)
    }

    struct MapEntry: Sendable {
        let key: Expr
        let value: Expr
        let optional: Bool
    }

    struct Comprehension: Sendable {
        enum Macro: String, Sendable {
            case all, exists, existsOne = "exists_one", map, filter
        }

        let macro: Macro
        let variable: String
        let range: Expr
        /// The condition (`all`, `exists`, `exists_one`, `filter`, the 3-argument `map`).
        let predicate: Expr?
        /// The mapped value (`map`).
        let transform: Expr?
    }

    /// Whether the expression names `variable` anywhere (used to find transition rules).
    func references(_ variable: String) -> Bool {
        switch kind {
        case .literal: return false
        case .identifier(let name): return name == variable
        case .select(let operand, _, _, _): return operand.references(variable)
        case .call(_, let target, let arguments):
            return target?.references(variable) == true || arguments.contains { $0.references(variable) }
        case .list(let elements, _): return elements.contains { $0.references(variable) }
        case .map(let entries): return entries.contains { $0.key.references(variable) || $0.value.references(variable) }
        case .comprehension(let comprehension):
            if comprehension.range.references(variable) { return true }
            if comprehension.variable == variable { return false }
            return comprehension.predicate?.references(variable) == true || comprehension.transform?.references(variable) == true
        }
    }
}

extension Expr.Kind {
    var children: [Expr] {
        switch self {
        case .literal, .identifier: return []
        case .select(let operand, _, _, _): return [operand]
        case .call(_, let target, let arguments): return (target.map { [$0] } ?? []) + arguments
        case .list(let elements, _): return elements
        case .map(let entries): return entries.flatMap { [$0.key, $0.value] }
        case .comprehension(let comprehension):
            return [comprehension.range] + [comprehension.predicate, comprehension.transform].compactMap { $0 }
        }
    }
}
