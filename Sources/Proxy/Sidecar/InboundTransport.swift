import NIOCore

/// What a sidecar's inbound port sees: a TLS handshake (record type 22) is mesh mTLS, anything
/// else plaintext from a client outside the mesh.
enum InboundTransport {
    case tls, plaintext

    static func decide(_ buffer: ByteBuffer) -> InboundTransport? {
        guard let first = buffer.readableBytesView.first else { return nil }
        return first == 0x16 ? .tls : .plaintext
    }
}
