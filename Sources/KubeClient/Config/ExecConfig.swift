/// An `exec` credential plugin as a kubeconfig user names it.
public struct ExecConfig: Codable, Sendable, Equatable {
    public struct EnvVar: Codable, Sendable, Equatable {
        public var name: String
        public var value: String
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// `client.authentication.k8s.io/v1` (or `v1beta1`); the `ExecCredential` version exchanged.
    public var apiVersion: String
    public var command: String
    public var args: [String]?
    public var env: [EnvVar]?
    public var installHint: String?
    public var provideClusterInfo: Bool?
    public var interactiveMode: String?

    public init(apiVersion: String = "client.authentication.k8s.io/v1", command: String, args: [String]? = nil,
                env: [EnvVar]? = nil, installHint: String? = nil, provideClusterInfo: Bool? = nil, interactiveMode: String? = nil) {
        self.apiVersion = apiVersion
        self.command = command
        self.args = args
        self.env = env
        self.installHint = installHint
        self.provideClusterInfo = provideClusterInfo
        self.interactiveMode = interactiveMode
    }
}
