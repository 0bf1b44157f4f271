import KubeModel

/// A CEL list: built values, or a JSON array whose elements convert on access.
public struct CELList: Sendable {
    enum Storage: Sendable {
        case values([CELValue])
        case json([JSONValue], element: CELType)
    }

    let storage: Storage

    init(_ values: [CELValue]) {
        storage = .values(values)
    }

    init(json: [JSONValue], element: CELType) {
        storage = .json(json, element: element)
    }

    var count: Int {
        switch storage {
        case .values(let values): return values.count
        case .json(let items, _): return items.count
        }
    }

    subscript(index: Int) -> CELValue {
        switch storage {
        case .values(let values): return values[index]
        case .json(let items, let element): return CELValue(json: items[index], type: element)
        }
    }

    var elements: [CELValue] {
        switch storage {
        case .values(let values): return values
        case .json(let items, let element): return items.map { CELValue(json: $0, type: element) }
        }
    }
}
