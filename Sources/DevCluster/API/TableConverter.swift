import Foundation
import KubeModel
import APIMachinery

/// `meta.k8s.io/v1` `Table` output: what `kubectl get` asks for and prints.
/// Columns are the CRD's `additionalPrinterColumns` (or the built-in kind's), after a Name column.
enum TableConverter {
    static func wantsTable(_ accept: String?) -> Bool {
        guard let accept else { return false }
        return accept.split(separator: ",").first.map { $0.contains("as=Table") } ?? false
    }

    static func columnDefinitions(_ definition: ResourceDefinition) -> JSONValue {
        var columns: [JSONValue] = [[
            "name": "Name", "type": "string", "format": "name", "priority": 0,
            "description": "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names",
        ]]
        for column in definition.printerColumns {
            columns.append(["name": .string(column.name), "type": .string(column.type), "format": .string(column.format),
                            "description": .string(column.description), "priority": .int(Int64(column.priority))])
        }
        return .array(columns)
    }

    static func row(_ definition: ResourceDefinition, _ object: JSONValue, includeObject: String, now: Date) -> JSONValue {
        var cells: [JSONValue] = [object[path: ["metadata", "name"]] ?? ""]
        let stamp = ObjectMetaRules.timestamp(now)
        for column in definition.printerColumns {
            cells.append(column.cell(for: object, now: stamp))
        }
        var row: [String: JSONValue] = ["cells": .array(cells)]
        switch includeObject {
        case "None": break
        case "Object": row["object"] = object
        default:
            row["object"] = ["kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
                             "metadata": object["metadata"] ?? [:]]
        }
        return .object(row)
    }

    static func table(_ definition: ResourceDefinition, objects: [JSONValue], listMetadata: JSONValue,
                      includeObject: String, now: Date) -> JSONValue {
        ["kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": listMetadata,
         "columnDefinitions": columnDefinitions(definition),
         "rows": .array(objects.map { row(definition, $0, includeObject: includeObject, now: now) })]
    }
}
