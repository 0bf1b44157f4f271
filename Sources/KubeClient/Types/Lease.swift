import Foundation

/// `coordination.k8s.io/v1` Lease: the record leader election competes for.
public struct Lease: KubeResource, Equatable {
    public static let descriptor = ResourceDescriptor.leases

    public struct Metadata: Codable, Sendable, Equatable {
        public var name: String
        public var namespace: String?
        public var resourceVersion: String?
        public var uid: String?
        public var labels: [String: String]?

        public init(name: String, namespace: String?, resourceVersion: String? = nil, uid: String? = nil, labels: [String: String]? = nil) {
            self.name = name
            self.namespace = namespace
            self.resourceVersion = resourceVersion
            self.uid = uid
            self.labels = labels
        }
    }

    public struct Spec: Codable, Sendable, Equatable {
        public var holderIdentity: String?
        public var leaseDurationSeconds: Int?
        /// `metav1.MicroTime` strings (RFC 3339 with microseconds).
        public var acquireTime: String?
        public var renewTime: String?
        public var leaseTransitions: Int?

        public init(holderIdentity: String? = nil, leaseDurationSeconds: Int? = nil, acquireTime: String? = nil,
                    renewTime: String? = nil, leaseTransitions: Int? = nil) {
            self.holderIdentity = holderIdentity
            self.leaseDurationSeconds = leaseDurationSeconds
            self.acquireTime = acquireTime
            self.renewTime = renewTime
            self.leaseTransitions = leaseTransitions
        }
    }

    public var apiVersion: String = "coordination.k8s.io/v1"
    public var kind: String = "Lease"
    public var metadata: Metadata
    public var spec: Spec

    public init(metadata: Metadata, spec: Spec) {
        self.metadata = metadata
        self.spec = spec
    }
}
