/// The Gateway API features (conformance feature names) Causeway implements, published in
/// `GatewayClass.status.supportedFeatures` so conformance runs test exactly what is claimed.
/// A feature appears here only when the translator and the proxy both implement it.
enum SupportedFeatures {
    static let names: [String] = [
        // Core of the GATEWAY-HTTP and GATEWAY-GRPC profiles.
        "Gateway", "HTTPRoute", "GRPCRoute", "ReferenceGrant",
        // Gateway extended features.
        "GatewayPort8080",
        "GatewayHTTPListenerIsolation",
        "GatewayHTTPSListenerDetectMisdirectedRequests",
        "GatewayInfrastructurePropagation",
        "GatewayAddressEmpty",
        // HTTPRoute extended features.
        "HTTPRouteBackendProtocolH2C",
        "HTTPRouteBackendRequestHeaderModification",
        "HTTPRouteBackendTimeout",
        "HTTPRouteHostRewrite",
        "HTTPRouteMethodMatching",
        "HTTPRouteNamedRouteRule",
        "HTTPRouteParentRefPort",
        "HTTPRoutePathRedirect",
        "HTTPRoutePathRewrite",
        "HTTPRoutePortRedirect",
        "HTTPRouteQueryParamMatching",
        "HTTPRouteRequestMirror",
        "HTTPRouteRequestMultipleMirrors",
        "HTTPRouteRequestPercentageMirror",
        "HTTPRouteRequestTimeout",
        "HTTPRouteResponseHeaderModification",
        "HTTPRouteSchemeRedirect",
        "HTTPRoute303RedirectStatusCode",
        "HTTPRoute307RedirectStatusCode",
        "HTTPRoute308RedirectStatusCode",
        // GRPCRoute extended features.
        "GRPCRouteNamedRouteRule",
    ].sorted()
}
