import NIOHTTP1

/// A response the proxy produces itself: 404 without a route, redirects, 500 for a rule with no valid backend.
struct LocalResponse {
    var status: HTTPResponseStatus
    var headers: HTTPHeaders = [:]
    var body: String = ""
}
