import KubeTypes

/// Everything the translator reads: the cluster's objects as the informers see them, plus the
/// few facts about the data plane and the installation that status depends on.
///
/// A plain value: the controller fills it from its caches, tests write it by hand or read it
/// from a golden `.in.yaml` file.
public struct ResourceSnapshot: Sendable, Hashable {
    public var settings: TranslatorSettings
    public var gatewayClasses: [GatewayAPI.GatewayClass] = []
    public var gateways: [GatewayAPI.Gateway] = []
    public var httpRoutes: [GatewayAPI.HTTPRoute] = []
    public var grpcRoutes: [GatewayAPI.GRPCRoute] = []
    public var referenceGrants: [GatewayAPI.ReferenceGrant] = []
    public var services: [Service] = []
    public var endpointSlices: [EndpointSlice] = []
    public var secrets: [Secret] = []
    public var namespaces: [Namespace] = []
    public var ingresses: [Ingress] = []
    public var ingressClasses: [IngressClass] = []
    public var gatewayConfigs: [GatewayConfig] = []
    public var meshTLSPolicies: [MeshTLSPolicy] = []
    /// The `gateway.networking.k8s.io/bundle-version` annotation of each installed Gateway API
    /// CRD, by CRD name (`gateways.gateway.networking.k8s.io`); nil when the CRD is absent.
    public var installedCRDBundleVersions: [String: String?] = [:]
    /// What each data plane reports, by proxy key (see `ProxyKey`).
    public var dataPlanes: [ProxyKey: DataPlaneState] = [:]

    public init(settings: TranslatorSettings = TranslatorSettings()) {
        self.settings = settings
    }
}

/// Choices fixed by the installation rather than by any object.
public struct TranslatorSettings: Sendable, Hashable {
    /// `GatewayClass.spec.controllerName` values this controller serves.
    public var controllerName = "causeway.dev/gateway-controller"
    /// `IngressClass.spec.controller` values this controller serves.
    public var ingressControllerName = "causeway.dev/ingress-controller"
    /// Where the Ingress data planes and their Services run.
    public var controllerNamespace = "causeway-system"

    public init(controllerName: String = "causeway.dev/gateway-controller",
                ingressControllerName: String = "causeway.dev/ingress-controller",
                controllerNamespace: String = "causeway-system") {
        self.controllerName = controllerName
        self.ingressControllerName = ingressControllerName
        self.controllerNamespace = controllerNamespace
    }
}

/// Names one data plane: a Gateway's (`gateway/ns/name`), an IngressClass's (`ingress/class`), or
/// the sidecars of one meshed namespace (`mesh/ns`).
public struct ProxyKey: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    public enum Kind: String, Sendable, Hashable, Codable { case gateway, ingress, mesh }
    public var kind: Kind
    public var namespace: String
    public var name: String

    public init(kind: Kind, namespace: String, name: String) {
        self.kind = kind
        self.namespace = namespace
        self.name = name
    }

    public static func gateway(namespace: String, name: String) -> ProxyKey { ProxyKey(kind: .gateway, namespace: namespace, name: name) }
    public static func ingress(className: String) -> ProxyKey { ProxyKey(kind: .ingress, namespace: "", name: className) }
    public static func mesh(namespace: String) -> ProxyKey { ProxyKey(kind: .mesh, namespace: namespace, name: "") }

    public var description: String {
        switch kind {
        case .gateway: "gateway/\(namespace)/\(name)"
        case .ingress: "ingress/\(name)"
        case .mesh: "mesh/\(namespace)"
        }
    }

    public static func < (a: ProxyKey, b: ProxyKey) -> Bool { a.description < b.description }
}

/// What the control plane knows about a running data plane, for `Programmed` and addresses.
public struct DataPlaneState: Sendable, Hashable {
    /// Addresses clients reach it at (its Service's load-balancer ingress, or cluster IP).
    public var addresses: [GatewayAPI.Gateway.Address]
    /// One entry per proxy instance (pod) that is running and ready.
    public var proxies: [ProxyReport]
    /// The control plane has just started and proxies are still reconnecting: no report yet says
    /// nothing about the data plane, so `Programmed` keeps what it said for this generation.
    public var reportsPending: Bool

    public init(addresses: [GatewayAPI.Gateway.Address] = [], proxies: [ProxyReport] = [], reportsPending: Bool = false) {
        self.addresses = addresses
        self.proxies = proxies
        self.reportsPending = reportsPending
    }
}

/// The configuration one proxy instance runs, as it acknowledged it.
public struct ProxyReport: Sendable, Hashable {
    public var name: String
    /// The `ProxyConfig.version` it serves; nil before its first configuration.
    public var appliedVersion: String?
    /// The last version it refused, and why; cleared once it applies a newer one.
    public var rejectedVersion: String?
    public var rejectionMessage: String?

    public init(name: String, appliedVersion: String? = nil, rejectedVersion: String? = nil, rejectionMessage: String? = nil) {
        self.name = name
        self.appliedVersion = appliedVersion
        self.rejectedVersion = rejectedVersion
        self.rejectionMessage = rejectionMessage
    }
}

extension ProxyKey {
    /// Reads the `description` form back: `gateway/ns/name` or `ingress/class`.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        switch (parts.first, parts.count) {
        case ("gateway", 3): self = .gateway(namespace: parts[1], name: parts[2])
        case ("ingress", 2): self = .ingress(className: parts[1])
        case ("mesh", 2) where !parts[1].isEmpty: self = .mesh(namespace: parts[1])
        default: return nil
        }
    }
}
