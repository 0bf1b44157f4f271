/// The controllers of a real control plane that Causeway relies on, running inside DevCluster.
enum BuiltInControllers {
    static func start(_ server: APIServer) {
        NamespaceController(server: server).start()
        ServiceAccountController(server: server).start()
        GarbageCollector(server: server).start()
        EndpointSliceController(server: server).start()
    }
}
