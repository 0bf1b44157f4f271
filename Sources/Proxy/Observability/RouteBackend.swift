/// A route and the backend that served it: the labels of the request counter.
struct RouteBackend: Hashable {
    var route: String
    var backend: String
}
