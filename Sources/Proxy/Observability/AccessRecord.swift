import NIOCore

/// The facts one access-log line records.
struct AccessRecord {
    var start: NIODeadline = .uptimeNanoseconds(0)
    var method = ""
    var path = ""
    var authority = ""
    var route = "-"
    var backend = "-"
    /// Formatted only when a line is written: with the log off, a request builds no string for it.
    var upstream: UpstreamEndpoint?
    var requestID = ""
    var status = 0
    var requestBytes = 0
    var responseBytes = 0
    var upstreamError: String?
    /// The client's SPIFFE ID on a mesh listener.
    var sourcePrincipal: String?
    var started = false
    var finished = false
}
