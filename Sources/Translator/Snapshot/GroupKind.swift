/// `Kind.group` as Kubernetes prints group-kinds (`Service` for the core group).
func groupKind(_ kind: String, _ group: String) -> String {
    group.isEmpty ? kind : "\(kind).\(group)"
}
