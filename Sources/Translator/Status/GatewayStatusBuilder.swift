import KubeTypes

extension Translation {
    /// The whole status of a Gateway of ours: conditions, one entry per listener, addresses.
    func gatewayStatus(_ gateway: GatewayEvaluation, version: String?) -> GatewayAPI.GatewayStatus {
        let generation = gateway.gateway.metadata.observedGeneration
        let programmed = programmedOutcome(gateway, version: version)
        var conditions: [Condition] = []
        conditions.append(acceptedCondition(gateway, generation: generation))
        conditions.append(Condition(
            type: ConditionType.programmed, status: programmed.status, reason: programmed.reason, message: programmed.message,
            observedGeneration: generation))
        conditions.append(proxiesCondition(gateway, version: version, generation: generation))
        let gatewayProblem = gateway.waitingForClass ?? gateway.notAccepted?.message
        let listeners = gateway.listeners.map {
            listenerStatus($0, dataPlaneReady: programmed.status == .true, gatewayProblem: gatewayProblem, generation: generation)
        }
        let addresses = (snapshot.dataPlanes[gateway.proxyKey]?.addresses ?? []).map {
            GatewayAPI.Gateway.Address(type: $0.effectiveType, value: $0.value)
        }
        return GatewayAPI.GatewayStatus(addresses: addresses, conditions: conditions, listeners: listeners)
    }

    private func acceptedCondition(_ gateway: GatewayEvaluation, generation: Int64) -> Condition {
        if let waiting = gateway.waitingForClass {
            return Condition(type: ConditionType.accepted, status: .unknown, reason: GatewayReason.pending, message: waiting,
                             observedGeneration: generation)
        }
        if let failure = gateway.notAccepted {
            return Condition(type: ConditionType.accepted, status: .false, reason: failure.reason, message: failure.message,
                             observedGeneration: generation)
        }
        let invalid = gateway.listeners.filter(\.isInvalid)
        if invalid.isEmpty {
            return Condition(type: ConditionType.accepted, status: .true, reason: GatewayReason.accepted,
                             message: "Gateway accepted", observedGeneration: generation)
        }
        let details = invalid.map { "\($0.spec.name): \(($0.conflict ?? $0.notAccepted)?.message ?? "")" }.joined(separator: "; ")
        let allInvalid = invalid.count == gateway.listeners.count
        return Condition(
            type: ConditionType.accepted, status: ConditionStatus(!allInvalid), reason: GatewayReason.listenersNotValid,
            message: allInvalid ? "no listener is valid: \(details)" : "some listeners are not valid and are not served: \(details)",
            observedGeneration: generation)
    }

    /// `Programmed`: true only once every ready proxy of the Gateway runs a configuration made
    /// from the Gateway's current generation, and the Gateway has an address.
    private func programmedOutcome(_ gateway: GatewayEvaluation, version: String?)
        -> (status: ConditionStatus, reason: String, message: String)
    {
        if let waiting = gateway.waitingForClass { return (.unknown, GatewayReason.pending, waiting) }
        if let failure = gateway.notAccepted { return (.false, GatewayReason.invalid, failure.message) }
        if !gateway.listeners.contains(where: { !$0.isInvalid }) { return (.false, GatewayReason.invalid, "no valid listener") }
        let plane = snapshot.dataPlanes[gateway.proxyKey] ?? DataPlaneState()
        let assigned = Set(plane.addresses.compactMap(\.value))
        if assigned.isEmpty {
            return (.false, GatewayReason.addressNotAssigned, "waiting for the Gateway's Service to be assigned an address")
        }
        if let missing = gateway.requestedAddresses.first(where: { !assigned.contains($0) }) {
            return (.false, GatewayReason.addressNotUsable,
                    "requested address \(missing) was not assigned (assigned: \(assigned.sorted().joined(separator: ", "))); check that the load balancer can use it")
        }
        if gateway.config.replicas == 0 {
            return (.false, GatewayReason.noResources, "GatewayConfig sets replicas to 0: no proxy runs for this Gateway")
        }
        guard let version else { return (.false, GatewayReason.pending, "no configuration yet") }
        if plane.proxies.isEmpty, plane.reportsPending,
           let previous = gateway.gateway.status?.conditions?[type: ConditionType.programmed],
           previous.observedGeneration == gateway.gateway.metadata.observedGeneration {
            return (ConditionStatus(rawValue: previous.status) ?? .unknown, previous.reason, previous.message)
        }
        if plane.proxies.isEmpty {
            return (.false, GatewayReason.pending, "waiting for a proxy of this Gateway to be ready")
        }
        if let refusing = plane.proxies.first(where: { $0.rejectedVersion == version }) {
            return (.false, GatewayReason.invalid,
                    "proxy \(refusing.name) refused configuration \(version): \(refusing.rejectionMessage ?? "no reason given"); it keeps serving its previous configuration")
        }
        let generation = ConfigVersion.generation(of: version)
        let current = plane.proxies.filter { $0.appliedVersion.map(ConfigVersion.generation(of:)) == generation }
        if current.count == plane.proxies.count {
            return (.true, GatewayReason.programmed,
                    "\(current.count) proxy\(current.count == 1 ? "" : "ies") serve\(current.count == 1 ? "s" : "") this generation of the Gateway")
        }
        return (.false, GatewayReason.pending,
                "\(current.count) of \(plane.proxies.count) ready proxies have loaded this generation of the Gateway")
    }

    private func listenerStatus(_ listener: ListenerEvaluation, dataPlaneReady: Bool, gatewayProblem: String?, generation: Int64)
        -> GatewayAPI.ListenerStatus
    {
        var conditions: [Condition] = []
        if let conflict = listener.conflict {
            conditions.append(Condition(type: ConditionType.accepted, status: .false, reason: conflict.reason, message: conflict.message,
                                        observedGeneration: generation))
        } else if let failure = listener.notAccepted {
            conditions.append(Condition(type: ConditionType.accepted, status: .false, reason: failure.reason, message: failure.message,
                                        observedGeneration: generation))
        } else {
            conditions.append(Condition(type: ConditionType.accepted, status: .true, reason: ListenerReason.accepted,
                                        message: "listener accepted", observedGeneration: generation))
        }
        if let conflict = listener.conflict {
            conditions.append(Condition(type: ConditionType.conflicted, status: .true, reason: conflict.reason, message: conflict.message,
                                        observedGeneration: generation))
        } else {
            conditions.append(Condition(type: ConditionType.conflicted, status: .false, reason: ListenerReason.noConflicts,
                                        message: "no conflicts", observedGeneration: generation))
        }
        if let unresolved = listener.unresolved {
            conditions.append(Condition(type: ConditionType.resolvedRefs, status: .false, reason: unresolved.reason,
                                        message: unresolved.message, observedGeneration: generation))
        } else {
            conditions.append(Condition(type: ConditionType.resolvedRefs, status: .true, reason: ListenerReason.resolvedRefs,
                                        message: "all references resolved", observedGeneration: generation))
        }
        if let conflict = listener.conflict {
            conditions.append(Condition(type: ConditionType.programmed, status: .false, reason: conflict.reason,
                                        message: "not served: \(conflict.message)", observedGeneration: generation))
        } else if !listener.serves {
            let why = listener.notAccepted?.message ?? listener.unresolved?.message ?? "no route kind can attach"
            conditions.append(Condition(type: ConditionType.programmed, status: .false, reason: ListenerReason.invalid,
                                        message: "not served: \(why)", observedGeneration: generation))
        } else if let gatewayProblem {
            conditions.append(Condition(type: ConditionType.programmed, status: .false, reason: ListenerReason.invalid,
                                        message: "not served: \(gatewayProblem)", observedGeneration: generation))
        } else if dataPlaneReady {
            conditions.append(Condition(type: ConditionType.programmed, status: .true, reason: ListenerReason.programmed,
                                        message: "served by the Gateway's proxies", observedGeneration: generation))
        } else {
            conditions.append(Condition(type: ConditionType.programmed, status: .false, reason: ListenerReason.pending,
                                        message: "waiting for the Gateway's proxies", observedGeneration: generation))
        }
        if !listener.overlapping.isEmpty {
            conditions.append(Condition(
                type: "OverlappingTLSConfig", status: .true, reason: "OverlappingHostnames",
                message: "hostname overlaps with HTTPS listeners \(listener.overlapping.joined(separator: ", ")) on the same port; the most specific hostname wins",
                observedGeneration: generation))
        }
        return GatewayAPI.ListenerStatus(
            name: listener.spec.name, supportedKinds: listener.supportedKinds, attachedRoutes: listener.attachedRoutes,
            conditions: conditions)
    }
}
