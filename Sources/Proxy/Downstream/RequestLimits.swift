/// Limits on what a client may send; violations become 4xx answers, never a crash or a hang.
public struct RequestLimits: Sendable, Hashable {
    public var maxURILength: Int
    public var maxHeaderBytes: Int
    public var maxHeaderCount: Int
    public var maxBodyBytes: Int?
    public var headerReadTimeoutMilliseconds: Int64
    public var idleTimeoutMilliseconds: Int64

    public init(
        maxURILength: Int = 8 * 1024,
        maxHeaderBytes: Int = 32 * 1024,
        maxHeaderCount: Int = 100,
        maxBodyBytes: Int? = nil,
        headerReadTimeoutMilliseconds: Int64 = 10_000,
        idleTimeoutMilliseconds: Int64 = 60_000
    ) {
        self.maxURILength = maxURILength
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderCount = maxHeaderCount
        self.maxBodyBytes = maxBodyBytes
        self.headerReadTimeoutMilliseconds = headerReadTimeoutMilliseconds
        self.idleTimeoutMilliseconds = idleTimeoutMilliseconds
    }
}
