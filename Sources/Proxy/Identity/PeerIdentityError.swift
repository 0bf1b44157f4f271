struct PeerIdentityError: Error, CustomStringConvertible {
    var message: String
    var description: String { "mTLS peer refused: \(message)" }
}
