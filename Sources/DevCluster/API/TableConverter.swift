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
        for column in definition.printerColumns {
            cells.append(cell(column, object, now: now))
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

    private static func cell(_ column: PrinterColumn, _ object: JSONValue, now: Date) -> JSONValue {
        guard let expression = try? JSONPathExpression(column.jsonPath) else { return .null }
        let values = expression.evaluate(object)
        guard let first = values.first, !first.isNull else { return .null }
        switch column.type {
        case "date":
            guard let text = first.stringValue, let date = ISO8601DateFormatter().date(from: text) else { return first }
            return .string(humanDuration(now.timeIntervalSince(date)))
        case "integer": return first.intValue.map { .int($0) } ?? first
        case "number": return first.doubleValue.map { .double($0) } ?? first
        case "boolean": return first
        default:
            if values.count > 1 { return .string(values.map(text).joined(separator: ",")) }
            return .string(text(first))
        }
    }

    private static func text(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): return s
        case .null: return "<none>"
        default: return value.jsonString
        }
    }

    /// Ages as kubectl prints them: 45s, 3m12s, 5h, 2d3h, 400d.
    static func humanDuration(_ interval: TimeInterval) -> String {
        let seconds = max(0, Int(interval))
        if seconds < 120 { return "\(seconds)s" }
        let minutes = seconds / 60
        if minutes < 10 { return seconds % 60 == 0 ? "\(minutes)m" : "\(minutes)m\(seconds % 60)s" }
        if minutes < 180 { return "\(minutes)m" }
        let hours = minutes / 60
        if hours < 8 { return minutes % 60 == 0 ? "\(hours)h" : "\(hours)h\(minutes % 60)m" }
        if hours < 48 { return "\(hours)h" }
        let days = hours / 24
        if days < 8 { return hours % 24 == 0 ? "\(days)d" : "\(days)d\(hours % 24)h" }
        return "\(days)d"
    }
}
