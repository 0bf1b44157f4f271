// swift-tools-version:6.1
import PackageDescription

// Layers (see ../shared/DESIGN.md): the pure targets import neither NIO nor CCurl;
// DevCluster and Proxy sit above them; the `causeway` executable on top.
let package = Package(
    name: "Causeway",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "causeway", targets: ["causeway"]),
        .executable(name: "causeway-proxy", targets: ["causeway-proxy"]),
        .executable(name: "devcluster-bench", targets: ["devcluster-bench"]),
        .executable(name: "kubeclient-bench", targets: ["kubeclient-bench"]),
        .executable(name: "controller-bench", targets: ["controller-bench"]),
        .executable(name: "gateway-bench", targets: ["gateway-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-http2.git", from: "1.46.0"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    ],
    targets: [
        // Pure: JSON values, object metadata and the Kubernetes types Causeway reads.
        .target(name: "KubeModel"),
        // Pure: decodes the protobuf bodies client-go sends for built-in kinds into their JSON objects.
        .target(name: "KubeProtobuf", dependencies: ["KubeModel"], exclude: ["Generator"]),
        // Pure: selectors, patches, schema validation and defaulting — the API server's rules as functions.
        .target(name: "APIMachinery", dependencies: ["KubeModel", "CEL", .product(name: "Yams", package: "Yams")]),
        // Pure: the Common Expression Language as Kubernetes uses it for CRD validation rules.
        .target(name: "CEL", dependencies: ["KubeModel"]),
        // The embedded Kubernetes-compatible API server behind `causeway dev` and the tests.
        .target(
            name: "DevCluster",
            dependencies: [
                "KubeModel", "APIMachinery", "KubeProtobuf", "PKI",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // libcurl plus non-variadic C shims: Swift cannot call `curl_easy_setopt` (variadic) directly,
        // and a system-library target cannot hold the .c file, so this is a C target linking curl
        // (headers from libcurl4-openssl-dev; `pkg-config --cflags libcurl` adds nothing on Debian).
        .target(name: "CCurl", linkerSettings: [.linkedLibrary("curl")]),
        // The Kubernetes API client: libcurl transport, kubeconfig, REST verbs, watches, informers.
        .target(
            name: "KubeClient",
            dependencies: [
                "KubeModel", "CCurl",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // Reconcilers, the work queue, the manager and leader election, above KubeClient.
        .target(
            name: "ControllerRuntime",
            dependencies: ["KubeModel", "KubeClient", .product(name: "Logging", package: "swift-log")]
        ),
        // Pure: certificate authorities and the certificates they issue (clock passed in).
        .target(
            name: "PKI",
            dependencies: [
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        // Pure: the mesh CA's rules — SPIFFE IDs, CSR checks, issuance, renewal schedule, trust bundles.
        .target(
            name: "WorkloadCA",
            dependencies: [
                "KubeModel",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        // Pure: the proxy's configuration model (the IR) and its compiled route table.
        .target(name: "ProxyConfig"),
        // Pure: typed Gateway API, core, networking and Causeway kinds, decoded from the API's JSON.
        .target(name: "KubeTypes", dependencies: ["KubeModel"]),
        // Pure: sidecar injection — pod -> injected pod -> JSON Patch (the webhook and `causeway inject`).
        .target(name: "Injection", dependencies: ["KubeModel"]),
        // Pure: transparent capture — a CaptureSpec -> iptables-restore input (IPv4, IPv6) and its undo.
        .target(name: "Capture", dependencies: ["KubeModel"]),
        // Pure: resources -> data-plane configuration + the status every resource should carry.
        .target(
            name: "Translator",
            dependencies: [
                "KubeTypes", "KubeModel", "ProxyConfig", "APIMachinery",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        // The Gateway API and Ingress controller: informers -> Translator -> statuses, data planes, configurations.
        .target(
            name: "Controller",
            dependencies: [
                "KubeModel", "KubeTypes", "KubeClient", "ControllerRuntime", "Translator", "ProxyConfig", "PrometheusText", "PKI", "OpsServer",
                "WorkloadCA", "Webhook",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // The sidecar-injection webhook: AdmissionReview v1 around Injection, and the HTTPS server of `causeway webhook`.
        .target(
            name: "Webhook",
            dependencies: [
                "Injection", "KubeModel", "PrometheusText",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // The small HTTP endpoint every process serves probes and /metrics on.
        .target(
            name: "OpsServer",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // The Prometheus text format, shared by every process that serves /metrics.
        .target(name: "PrometheusText"),
        // The data plane on SwiftNIO.
        .target(
            name: "Proxy",
            dependencies: [
                "ProxyConfig", "PrometheusText", "OpsServer", "WorkloadCA",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // What every Causeway process does around its work: stop on SIGTERM or SIGINT, and stop
        // when the process that started it is gone.
        .target(name: "ProcessSupport"),
        // The data plane's command line, shared by `causeway proxy` and `causeway-proxy`.
        .target(
            name: "ProxyCommandLine",
            dependencies: [
                "Proxy", "ProxyConfig", "OpsServer", "ProcessSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // The data plane alone, for gateway pods and sidecars: none of the control plane's code.
        .executableTarget(
            name: "causeway-proxy",
            dependencies: [
                "ProxyCommandLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "causeway",
            dependencies: [
                "DevCluster", "Proxy", "ProxyConfig", "Controller", "KubeClient", "Translator", "Injection", "Capture", "Webhook",
                "ProcessSupport", "ProxyCommandLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // Benchmarks (release builds, run from bench/*/run.sh).
        .executableTarget(
            name: "devcluster-bench",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "bench/devcluster",
            exclude: ["run.sh", "stalled-watcher.sh"]
        ),
        .executableTarget(
            name: "gateway-bench",
            dependencies: ["KubeClient", "KubeModel", "APIMachinery"],
            path: "bench/gateway",
            exclude: ["run.sh"]
        ),
        .executableTarget(
            name: "controller-bench",
            dependencies: ["KubeClient", "KubeModel", "APIMachinery"],
            path: "bench/controller",
            exclude: ["run.sh"]
        ),
        .executableTarget(
            name: "kubeclient-bench",
            dependencies: ["KubeClient", "KubeModel"],
            path: "bench/kubeclient",
            exclude: ["run.sh"]
        ),
        // Helpers every test target shares (`eventually`).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        // Per-thread heap allocation counts for allocation-budget tests (interposes malloc in the
        // test executable only).
        .target(name: "AllocationCounter", path: "Tests/AllocationCounter"),
        .testTarget(name: "KubeModelTests", dependencies: ["KubeModel"]),
        .testTarget(name: "KubeProtobufTests", dependencies: ["KubeProtobuf", "KubeModel", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "APIMachineryTests", dependencies: ["APIMachinery", "KubeModel"]),
        .testTarget(
            name: "CELTests",
            dependencies: ["CEL", "APIMachinery", "KubeModel"],
            exclude: ["testdata"]
        ),
        .testTarget(name: "DevClusterTests", dependencies: ["DevCluster", "APIMachinery", "KubeModel", "TestSupport"]),
        .testTarget(name: "ProxyConfigTests", dependencies: ["ProxyConfig"]),
        .testTarget(
            name: "WorkloadCATests",
            dependencies: [
                "WorkloadCA", "TestSupport",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        .testTarget(name: "KubeTypesTests", dependencies: ["KubeTypes", "KubeModel", "APIMachinery"]),
        .testTarget(
            name: "TranslatorTests",
            dependencies: [
                "Translator", "KubeTypes", "KubeModel", "ProxyConfig", "APIMachinery",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            exclude: ["testdata"]
        ),
        .testTarget(
            name: "ProxyTests",
            dependencies: [
                "Proxy", "ProxyConfig", "WorkloadCA", "TestSupport", "AllocationCounter",
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "NIOHPACK", package: "swift-nio-http2"),
            ]
        ),
        .testTarget(
            name: "KubeClientTests",
            dependencies: [
                "KubeClient", "KubeModel", "DevCluster", "TestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "ControllerRuntimeTests", dependencies: ["ControllerRuntime", "KubeClient", "KubeModel", "DevCluster", "TestSupport"]),
        .testTarget(name: "ControllerTests", dependencies: ["Controller", "Translator", "KubeModel", "WorkloadCA"]),
        .testTarget(
            name: "InjectionTests",
            dependencies: ["Injection", "KubeModel", "APIMachinery", "TestSupport", .product(name: "Yams", package: "Yams")],
            exclude: ["Golden"]
        ),
        .testTarget(name: "CaptureTests", dependencies: ["Capture"]),
        .testTarget(
            name: "WebhookTests",
            dependencies: [
                "Webhook", "Injection", "KubeModel", "APIMachinery", "PKI", "TestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .testTarget(name: "EndToEndTests", dependencies: ["KubeModel", "TestSupport"], exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)
