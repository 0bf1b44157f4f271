/// Condition types and reasons exactly as the Gateway API (v1.6.1) spells them.
enum ConditionType {
    static let accepted = "Accepted"
    static let programmed = "Programmed"
    static let resolvedRefs = "ResolvedRefs"
    static let conflicted = "Conflicted"
    static let supportedVersion = "SupportedVersion"
    static let partiallyInvalid = "PartiallyInvalid"
}

enum GatewayClassReason {
    static let accepted = "Accepted"
    static let invalidParameters = "InvalidParameters"
    static let unsupportedVersion = "UnsupportedVersion"
    static let supportedVersion = "SupportedVersion"
}

enum GatewayReason {
    static let accepted = "Accepted"
    static let listenersNotValid = "ListenersNotValid"
    static let invalidParameters = "InvalidParameters"
    static let unsupportedAddress = "UnsupportedAddress"
    static let programmed = "Programmed"
    static let invalid = "Invalid"
    static let pending = "Pending"
    static let addressNotAssigned = "AddressNotAssigned"
    static let addressNotUsable = "AddressNotUsable"
    static let noResources = "NoResources"
}

enum ListenerReason {
    static let accepted = "Accepted"
    static let portUnavailable = "PortUnavailable"
    static let unsupportedProtocol = "UnsupportedProtocol"
    static let unsupportedValue = "UnsupportedValue"
    static let resolvedRefs = "ResolvedRefs"
    static let invalidCertificateRef = "InvalidCertificateRef"
    static let invalidRouteKinds = "InvalidRouteKinds"
    static let refNotPermitted = "RefNotPermitted"
    static let noConflicts = "NoConflicts"
    static let hostnameConflict = "HostnameConflict"
    static let protocolConflict = "ProtocolConflict"
    static let programmed = "Programmed"
    static let invalid = "Invalid"
    static let pending = "Pending"
}

enum RouteReason {
    static let accepted = "Accepted"
    static let notAllowedByListeners = "NotAllowedByListeners"
    static let noMatchingListenerHostname = "NoMatchingListenerHostname"
    static let noMatchingParent = "NoMatchingParent"
    static let unsupportedValue = "UnsupportedValue"
    static let pending = "Pending"
    static let incompatibleFilters = "IncompatibleFilters"
    static let resolvedRefs = "ResolvedRefs"
    static let refNotPermitted = "RefNotPermitted"
    static let invalidKind = "InvalidKind"
    static let backendNotFound = "BackendNotFound"
    static let unsupportedProtocol = "UnsupportedProtocol"
}
