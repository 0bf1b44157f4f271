import KubeModel

/// A quantity as a CEL value (`kubernetes.Quantity`).
struct QuantityValue: CELOpaqueValue {
    let quantity: ResourceQuantity

    var typeName: String { "kubernetes.Quantity" }

    func isEqual(to other: any CELOpaqueValue) -> Bool {
        guard let other = other as? QuantityValue else { return false }
        return quantity == other.quantity
    }
}
