import NIOHTTP1

/// Why a request head was refused, with the status it earns.
struct RequestRejection: Error, Equatable {
    var status: HTTPResponseStatus
    var reason: String
}
