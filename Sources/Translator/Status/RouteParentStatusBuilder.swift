import KubeTypes

extension Translation {
    /// The `status.parents` entry for one parentRef: always `Accepted` and `ResolvedRefs` (the
    /// latter also for refused parents), `PartiallyInvalid` only when rules were dropped.
    func parentStatus(_ route: RouteEvaluation, _ outcome: ParentOutcome) -> GatewayAPI.RouteParentStatus {
        let generation = route.metadata.observedGeneration
        var ref = outcome.parentRef
        // Echo the reference as the API defaults it: conformance compares group and kind exactly.
        ref.group = ref.effectiveGroup
        ref.kind = ref.effectiveKind
        var conditions: [Condition] = []
        if let pending = outcome.pending {
            conditions.append(Condition(
                type: ConditionType.accepted, status: .unknown, reason: RouteReason.pending, message: pending,
                observedGeneration: generation))
        } else if let refused = outcome.refused {
            conditions.append(Condition(
                type: ConditionType.accepted, status: .false, reason: refused.reason, message: refused.message,
                observedGeneration: generation))
        } else {
            let gateway = gateways[outcome.gatewayKey]
            let names = outcome.listeners.compactMap { gateway?.listeners[$0].spec.name }
            conditions.append(Condition(
                type: ConditionType.accepted, status: .true, reason: RouteReason.accepted,
                message: "accepted by Gateway \(outcome.gatewayKey) on listener\(names.count == 1 ? "" : "s") \(names.joined(separator: ", "))",
                observedGeneration: generation))
        }
        if let unresolved = route.unresolved {
            let more = route.unresolvedMessages.count > 1 ? " (and \(route.unresolvedMessages.count - 1) more: \(route.unresolvedMessages.dropFirst().joined(separator: "; ")))" : ""
            conditions.append(Condition(
                type: ConditionType.resolvedRefs, status: .false, reason: unresolved.reason,
                message: unresolved.message + more, observedGeneration: generation))
        } else {
            conditions.append(Condition(
                type: ConditionType.resolvedRefs, status: .true, reason: RouteReason.resolvedRefs,
                message: "all references resolved", observedGeneration: generation))
        }
        if outcome.refused == nil, outcome.pending == nil, !route.droppedRules.isEmpty {
            conditions.append(Condition(
                type: ConditionType.partiallyInvalid, status: .true, reason: RouteReason.unsupportedValue,
                message: "Dropped Rule(s): \(route.droppedRules.joined(separator: "; "))", observedGeneration: generation))
        }
        return GatewayAPI.RouteParentStatus(parentRef: ref, controllerName: snapshot.settings.controllerName, conditions: conditions)
    }
}
