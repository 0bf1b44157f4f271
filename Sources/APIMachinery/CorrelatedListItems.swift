import KubeModel

/// Finds the old item an item of a list corresponds to: by key values in a map list, by value
/// in a set; atomic lists have no correspondence. Old items are indexed once per list.
struct CorrelatedListItems {
    private let keys: [String]
    private let index: [[JSONValue?]: JSONValue]

    init(schema: SchemaNode, old: [JSONValue]?) {
        switch schema.listType {
        case "map": keys = schema.listMapKeys
        default: keys = []
        }
        guard let old, schema.listType == "map" || schema.listType == "set" else {
            index = [:]
            return
        }
        var index: [[JSONValue?]: JSONValue] = [:]
        let keys = self.keys
        for item in old {
            let key: [JSONValue?] = schema.listType == "set" ? [item] : keys.map { item[$0] }
            if index[key] == nil { index[key] = item }
        }
        self.index = index
    }

    func match(for item: JSONValue) -> JSONValue? {
        guard !index.isEmpty else { return nil }
        return index[keys.isEmpty ? [item] : keys.map { item[$0] }]
    }
}
