import Foundation
import KubeModel
import APIMachinery
import KubeProtobuf

extension APIServer {
    /// Turns what a client sent into what will be stored, or says why not: system metadata,
    /// status-subresource rules, the kind's own defaults and checks, the CRD schema
    /// (pruning, defaulting, validation), generation, and field ownership.
    func admit(_ definition: ResourceDefinition, new: JSONValue, old: JSONValue?, subresource: String?,
               options: WriteOptions, warnings: inout [String], recordOwnership: Bool = true) throws(APIStatus) -> JSONValue {
        var object = new
        if let old {
            if subresource == "status" {
                // A status write changes status (and the ownership record of it), nothing else.
                var merged = old
                merged["status"] = new["status"]
                merged[path: ["metadata", "managedFields"]] = new[path: ["metadata", "managedFields"]] ?? old[path: ["metadata", "managedFields"]]
                object = merged
            } else {
                for field in ObjectMetaRules.systemFields {
                    object[path: ["metadata", field]] = old[path: ["metadata", field]]
                }
                if definition.hasStatus { object["status"] = old["status"] }
            }
            object[path: ["metadata", "namespace"]] = old[path: ["metadata", "namespace"]]
            object[path: ["metadata", "name"]] = old[path: ["metadata", "name"]]
        } else {
            var meta = object["metadata"]?.objectValue ?? [:]
            meta["uid"] = .string(UUID().uuidString.lowercased())
            meta["creationTimestamp"] = .string(now)
            meta["resourceVersion"] = nil
            meta["deletionTimestamp"] = nil
            meta["deletionGracePeriodSeconds"] = nil
            // Server-side apply brings its own ownership record; every other create starts afresh.
            if recordOwnership { meta["managedFields"] = nil }
            meta["generation"] = definition.tracksGeneration ? .int(1) : nil
            object["metadata"] = .object(meta)
            if definition.hasStatus, definition.isCustom { object["status"] = nil }
        }

        if !definition.isCustom, let (pruned, unknown) = KnownFields.pruning(object) {
            // Built-in kinds drop what their Go types do not declare, as JSON decoding does.
            try reportUnknownFields(unknown, definition, options: options, warnings: &warnings)
            object = pruned
        }
        if !definition.isCustom {
            object = BuiltInValidation.mergingSecretStringData(object)
            if definition.group.isEmpty, definition.kind == "Secret", let problem = BuiltInValidation.secretDataDecodingError(object) {
                throw APIErrors.badRequest("\(definition.kind) in version \"\(definition.version)\" cannot be handled as a \(definition.kind): \(problem)")
            }
            object = BuiltInDefaults.applying(to: object)
        }
        try strategies.prepare(definition, &object, old: old, server: self)

        var errors: [FieldError] = []
        if let schema = definition.schema {
            let (pruned, unknown) = schema.pruning(object)
            try reportUnknownFields(unknown, definition, options: options, warnings: &warnings)
            object = schema.applyingDefaults(pruned)
            errors += schema.validate(object, old: old)
        }
        errors = metadataErrors(definition, object, old: old) + errors + strategies.validate(definition, object, old: old)
        if !definition.isCustom {
            errors += BuiltInValidation.validate(object, allowLoopbackEndpoints: self.options.allowLoopbackEndpoints)
            if let old { errors += BuiltInValidation.validateUpdate(new: object, old: old) }
        }
        if !errors.isEmpty {
            throw APIErrors.invalid(definition, name: ObjectMetaRules.name(object) ?? "", errors)
        }

        if definition.tracksGeneration {
            let previous = old?[path: ["metadata", "generation"]]?.intValue ?? 0
            if let old {
                let changed = ObjectMetaRules.specPart(old) != ObjectMetaRules.specPart(object)
                object[path: ["metadata", "generation"]] = .int(changed ? previous + 1 : max(previous, 1))
            }
        }
        if recordOwnership {
            object = ServerSideApply.recordUpdate(old: old, new: object, manager: options.fieldManager,
                                                  apiVersion: definition.apiVersion, now: now,
                                                  strategies: definition.patchStrategies, subresource: subresource,
                                                  ignoredFields: ignoredFields(definition, subresource: subresource))
        }
        return object
    }

    /// Fields the kind does not declare: refused under `fieldValidation=Strict`, a warning each
    /// under `Warn` (the default), silently dropped under `Ignore`.
    private func reportUnknownFields(_ unknown: [String], _ definition: ResourceDefinition, options: WriteOptions,
                                     warnings: inout [String]) throws(APIStatus) {
        guard !unknown.isEmpty else { return }
        switch options.fieldValidation {
        case .strict:
            let list = unknown.map { "unknown field \"\($0)\"" }.joined(separator: ", ")
            throw APIErrors.badRequest("\(definition.kind) in version \"\(definition.version)\" cannot be handled as a \(definition.kind): strict decoding error: \(list)")
        case .warn:
            warnings += unknown.map { "unknown field \"\($0)\"" }
        case .ignore:
            break
        }
    }

    /// Paths an endpoint resets, so writes through it own nothing there: a kind's status on its
    /// main endpoint when status has its own.
    func ignoredFields(_ definition: ResourceDefinition, subresource: String?) -> [[String]] {
        definition.hasStatus && subresource == nil ? [["status"]] : []
    }

    /// `metadata` rules: the create rules on every write, and what may not change on update.
    private func metadataErrors(_ definition: ResourceDefinition, _ object: JSONValue, old: JSONValue?) -> [FieldError] {
        let rule = definition.isCustom ? .dns1123Subdomain : BuiltInValidation.nameRule(group: definition.group, kind: definition.kind)
        var errors = ObjectMetaValidation.validateCreate(object["metadata"], namespaced: definition.namespaced, nameRule: rule)
        if !definition.isCustom { errors += ObjectMetaValidation.validateBuiltInFinalizers(object["metadata"]) }
        if let old {
            errors += ObjectMetaValidation.validateUpdate(new: object["metadata"], old: old["metadata"])
        }
        return errors
    }
}
