/// Why `causeway init` refused its arguments or could not set up capture. The code is stable (tests
/// and scripts branch on it); the message names the flag or tool and says what to do.
public struct CaptureError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// A port outside 1...65535, or not a number.
        public static let invalidPort = Code("InvalidPort")
        /// Not an IPv4 or IPv6 address with an optional prefix length.
        public static let invalidCIDR = Code("InvalidCIDR")
        /// A user or group ID that is not a number the kernel accepts.
        public static let invalidID = Code("InvalidID")
        /// Flags that contradict each other.
        public static let conflictingOptions = Code("ConflictingOptions")
        /// A `--backend` other than auto, nft and legacy.
        public static let unknownBackend = Code("UnknownBackend")
        /// An iptables program the chosen backend needs is not installed.
        public static let toolMissing = Code("ToolMissing")
        /// The process lacks CAP_NET_ADMIN (or CAP_NET_RAW for the legacy backend).
        public static let missingCapability = Code("MissingCapability")
        /// Neither backend works in this network namespace.
        public static let noBackend = Code("NoBackend")
        /// iptables-restore or iptables-save exited with an error.
        public static let commandFailed = Code("CommandFailed")
        /// The rules read back differ from the rules written.
        public static let verificationFailed = Code("VerificationFailed")
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
