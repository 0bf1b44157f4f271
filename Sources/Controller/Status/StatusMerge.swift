import KubeModel
import KubeTypes

/// A condition that changed status or reason: worth an Event.
struct ConditionTransition: Sendable, Equatable {
    var conditionType: String
    var status: String
    var reason: String
    var message: String
    /// A listener's or parent's name when the condition is not the object's own.
    var scope: String?
}

/// Puts the translator's desired status on top of what an object carries now, following the
/// Gateway API's rules for writers: conditions keep their `lastTransitionTime` while their
/// status holds, conditions and route parents written by other controllers stay as they are, and
/// fields of the status Causeway does not model are kept.
enum StatusMerge {
    struct Outcome {
        var status: JSONValue
        var transitions: [ConditionTransition]
    }

    static func gatewayClass(current: JSONValue?, desired: GatewayAPI.GatewayClass.Status, now: String) -> Outcome {
        var status = current ?? .object([:])
        var transitions: [ConditionTransition] = []
        status["conditions"] = merge(desired.conditions ?? [], onto: conditions(status["conditions"]), now: now, keepForeign: true,
                                     scope: nil, transitions: &transitions)
        status["supportedFeatures"] = encode(desired.supportedFeatures ?? [])
        return Outcome(status: status, transitions: transitions)
    }

    static func gateway(current: JSONValue?, desired: GatewayAPI.GatewayStatus, now: String) -> Outcome {
        var status = current ?? .object([:])
        var transitions: [ConditionTransition] = []
        status["conditions"] = merge(desired.conditions ?? [], onto: conditions(status["conditions"]), now: now, keepForeign: true,
                                     scope: nil, transitions: &transitions)
        let existing = Dictionary(
            (status["listeners"]?.arrayValue ?? []).compactMap { entry in entry["name"]?.stringValue.map { ($0, entry) } },
            uniquingKeysWith: { a, _ in a })
        status["listeners"] = .array((desired.listeners ?? []).map { listener in
            var entry = encode(listener)
            entry["conditions"] = merge(listener.conditions, onto: conditions(existing[listener.name]?["conditions"]), now: now,
                                        keepForeign: false, scope: "listener \(listener.name)", transitions: &transitions)
            return entry
        })
        status["addresses"] = (desired.addresses ?? []).isEmpty ? nil : encode(desired.addresses ?? [])
        return Outcome(status: status, transitions: transitions)
    }

    /// Route `status.parents`: entries of other controllers untouched, ours replaced by the
    /// desired ones (an entry of ours for a parentRef that no longer applies disappears).
    static func route(current: JSONValue?, desired: [GatewayAPI.RouteParentStatus], controllerName: String, now: String) -> Outcome {
        var status = current ?? .object([:])
        var transitions: [ConditionTransition] = []
        let entries = status["parents"]?.arrayValue ?? []
        let foreign = entries.filter { $0["controllerName"]?.stringValue != controllerName }
        let mine = entries.filter { $0["controllerName"]?.stringValue == controllerName }
        var parents = foreign
        for parent in desired {
            let old = mine.first { sameParent($0["parentRef"], parent.parentRef) }
            var entry = encode(parent)
            entry["conditions"] = merge(parent.conditions, onto: conditions(old?["conditions"]), now: now, keepForeign: false,
                                        scope: "parent \(parent.parentRef.namespace.map { "\($0)/" } ?? "")\(parent.parentRef.name)",
                                        transitions: &transitions)
            parents.append(entry)
        }
        status["parents"] = .array(parents)
        return Outcome(status: status, transitions: transitions)
    }

    /// A status that is only `conditions` (Causeway's policies).
    static func conditionsOnly(current: JSONValue?, desired: [Condition], now: String) -> Outcome {
        var status = current ?? .object([:])
        var transitions: [ConditionTransition] = []
        status["conditions"] = merge(desired, onto: conditions(status["conditions"]), now: now, keepForeign: true, scope: nil,
                                     transitions: &transitions)
        return Outcome(status: status, transitions: transitions)
    }

    static func ingress(current: JSONValue?, desired: LoadBalancerStatus) -> Outcome {
        var status = current ?? .object([:])
        status["loadBalancer"] = encode(desired)
        return Outcome(status: status, transitions: [])
    }

    /// Two parentRefs name the same parent when they agree after the API's defaults.
    static func sameParent(_ json: JSONValue?, _ ref: GatewayAPI.ParentReference) -> Bool {
        guard let json, let other = try? JSONValueDecoder().decode(GatewayAPI.ParentReference.self, from: json) else { return false }
        return other.effectiveGroup == ref.effectiveGroup && other.effectiveKind == ref.effectiveKind && other.name == ref.name
            && other.namespace == ref.namespace && other.sectionName == ref.sectionName && other.port == ref.port
    }

    private static func conditions(_ json: JSONValue?) -> [Condition] {
        guard let json else { return [] }
        return (try? JSONValueDecoder().decode([Condition].self, from: json)) ?? []
    }

    private static func merge(_ desired: [Condition], onto existing: [Condition], now: String, keepForeign: Bool, scope: String?,
                              transitions: inout [ConditionTransition]) -> JSONValue {
        let merged = ConditionMerge.merge(desired, onto: existing, now: now, keepForeign: keepForeign)
        for condition in desired {
            let old = existing[type: condition.type]
            if old?.status != condition.status || old?.reason != condition.reason {
                transitions.append(ConditionTransition(
                    conditionType: condition.type, status: condition.status, reason: condition.reason, message: condition.message,
                    scope: scope))
            }
        }
        return encode(merged)
    }

    private static func encode<T: Encodable>(_ value: T) -> JSONValue {
        (try? JSONValueEncoder().encode(value)) ?? .null
    }
}
