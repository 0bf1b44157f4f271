import Foundation

/// glibc's malloc_trim, which Swift's Glibc module does not export.
@_silgen_name("malloc_trim")
func mallocTrim(_ pad: Int) -> Int32
import KubeClient
import KubeModel
import Synchronization

// KubeClient benchmark, release build: against a separate `causeway dev` process (plain HTTP on
// loopback), it creates N ConfigMaps, then measures
//   1. informer sync: time from start to hasSynced, and this process's RSS growth (the cache),
//   2. sustained watch-event throughput through informer handlers while M updates stream in,
// and, as a peer measured in the same run, `kubectl get configmaps -o json` over the same objects.

let arguments = CommandLine.arguments
func option(_ name: String, _ fallback: Int) -> Int {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return fallback }
    return Int(arguments[index + 1]) ?? fallback
}
let objectCount = option("--objects", 10_000)
let updateCount = option("--updates", 20_000)
let writers = option("--writers", 16)
let binary = arguments.firstIndex(of: "--causeway").map { arguments[$0 + 1] } ?? ".build-release/release/causeway"

func rssKiB(_ pid: Int32 = getpid()) -> Int {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return 0 }
    for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") {
        return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
    }
    return 0
}

func seconds(_ duration: Duration) -> Double { duration.seconds }

let work = FileManager.default.temporaryDirectory.appendingPathComponent("kubeclient-bench-\(getpid())")
try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
let kubeconfigPath = work.appendingPathComponent("kubeconfig").path
let server = Process()
server.executableURL = URL(fileURLWithPath: binary)
server.arguments = ["dev", "--insecure-http", "--port", "0", "--kubeconfig", kubeconfigPath]
let pipe = Pipe()
server.standardOutput = pipe
try server.run()
var banner = ""
while !banner.contains("listening on") {
    let data = pipe.fileHandleForReading.availableData
    if data.isEmpty { fatalError("causeway dev exited: \(banner)") }
    banner += String(decoding: data, as: UTF8.self)
}
defer {
    server.terminate()
    server.waitUntilExit()
    try? FileManager.default.removeItem(at: work)
}
var config = try KubeConfigFile(path: kubeconfigPath).clientConfig()
config.qps = 100_000
config.burst = 100_000
let client = KubeClient(config: config)
let namespace = "bench"
_ = try await client.resource(.namespaces).create(["metadata": ["name": .string(namespace)]])
let configMaps = client.resource(.configMaps)
print("causeway dev at \(config.server); kubeclient bench pid \(getpid())")

// Small objects: a name, two labels, three short data keys (about 400 bytes of JSON each as served).
let populateStart = ContinuousClock.now
try await withThrowingTaskGroup(of: Void.self) { group in
    for worker in 0..<writers {
        group.addTask {
            for index in stride(from: worker, to: objectCount, by: writers) {
                _ = try await configMaps.create([
                    "metadata": ["name": .string("cm-\(index)"), "namespace": .string(namespace),
                                 "labels": ["app": .string("app-\(index % 50)"), "bench": "yes"]],
                    "data": ["host": .string("svc-\(index).example.internal"), "port": "8080", "mode": "active"],
                ])
            }
        }
    }
    try await group.waitForAll()
}
let populateTime = ContinuousClock.now - populateStart
print(String(format: "populated:              %d ConfigMaps in %.2f s (%.0f creates/s through KubeClient, %d concurrent)",
             objectCount, seconds(populateTime), Double(objectCount) / seconds(populateTime), writers))

// 1. Informer sync.
let handled = Atomic<Int>(0)
let rssBefore = rssKiB()
let informer = SharedInformer(name: "configmaps", listerWatcher: configMaps.listerWatcher(namespace: namespace))
informer.addEventHandler(EventHandler(onAdd: { _ in handled.add(1, ordering: .relaxed) },
                                      onUpdate: { _, _ in handled.add(1, ordering: .relaxed) }))
let syncStart = ContinuousClock.now
let run = Task { await informer.run() }
_ = await informer.waitForSync()
let syncTime = ContinuousClock.now - syncStart
// The reflector drops its list right after filling the cache; give it a moment to get there.
try await Task.sleep(for: .milliseconds(500))
let rssAfterSync = rssKiB()
// Hand freed list buffers back to the kernel, so what remains is what the cache keeps.
_ = mallocTrim(0)
let rssAfter = rssKiB()
print(String(format: "informer sync:          %d objects in %.3f s   (target < 2 s)", informer.cache.count, seconds(syncTime)))
print(String(format: "RSS growth at sync:     %.1f MiB (cache plus freed list buffers not yet returned)", Double(rssAfterSync - rssBefore) / 1024))
print(String(format: "cache RSS growth:       %.1f MiB (%.0f bytes/object) after malloc_trim   (target < 40 MiB)",
             Double(rssAfter - rssBefore) / 1024, Double(rssAfter - rssBefore) * 1024 / Double(max(1, objectCount))))

// 2. Watch throughput through handlers.
let rvBeforeUpdates = informer.lastResourceVersion
let baseline = handled.load(ordering: .relaxed)
let updateStart = ContinuousClock.now
try await withThrowingTaskGroup(of: Void.self) { group in
    for worker in 0..<writers {
        group.addTask {
            for step in stride(from: worker, to: updateCount, by: writers) {
                _ = try await configMaps.patch("cm-\(step % objectCount)", namespace: namespace, kind: .merge,
                                               patch: ["data": ["mode": .string("step-\(step)")]])
            }
        }
    }
    try await group.waitForAll()
}
let writeTime = ContinuousClock.now - updateStart
let deadline = ContinuousClock.now + .seconds(60)
while handled.load(ordering: .relaxed) - baseline < updateCount, ContinuousClock.now < deadline {
    try await Task.sleep(for: .milliseconds(5))
}
let deliverTime = ContinuousClock.now - updateStart
let delivered = handled.load(ordering: .relaxed) - baseline
print(String(format: "watch events handled:   %d of %d in %.2f s = %.0f events/s (writers produced %.0f updates/s)",
             delivered, updateCount, seconds(deliverTime), Double(delivered) / seconds(deliverTime),
             Double(updateCount) / seconds(writeTime)))
print(String(format: "RSS after updates:      %.1f MiB total for this process", Double(rssKiB()) / 1024))
run.cancel()
await run.value

// 3. The client's own ceiling: replay the same updates from the server's event log as fast as it
// sends them, through a second informer's cache and handlers.
let replayed = Atomic<Int>(0)
let replayInformer = SharedInformer(name: "replay", listerWatcher: configMaps.listerWatcher(namespace: namespace))
replayInformer.addEventHandler(EventHandler(onAdd: { _ in replayed.add(1, ordering: .relaxed) },
                                            onUpdate: { _, _ in replayed.add(1, ordering: .relaxed) }))
let replayStart = ContinuousClock.now
let stream = try await configMaps.watch(namespace: namespace, options: ListOptions(resourceVersion: rvBeforeUpdates, timeoutSeconds: 60))
for try await event in stream {
    replayInformer.apply(event)
    if replayed.load(ordering: .relaxed) >= updateCount { break }
}
let replayTime = ContinuousClock.now - replayStart
print(String(format: "watch replay:           %d events in %.2f s = %.0f events/s decoded and handled (server sending its log)",
             replayed.load(ordering: .relaxed), seconds(replayTime), Double(replayed.load(ordering: .relaxed)) / seconds(replayTime)))

// Peer: kubectl (client-go) listing the same objects as JSON, timed end to end.
let kubectl = Process()
kubectl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
kubectl.arguments = ["kubectl", "--kubeconfig", kubeconfigPath, "get", "configmaps", "-n", namespace, "-o", "json"]
kubectl.standardOutput = FileHandle.nullDevice
kubectl.standardError = FileHandle.nullDevice
let listStart = ContinuousClock.now
if (try? kubectl.run()) != nil {
    kubectl.waitUntilExit()
    let kubectlTime = ContinuousClock.now - listStart
    let ownStart = ContinuousClock.now
    let own = try await configMaps.listAll(namespace: namespace)
    let ownTime = ContinuousClock.now - ownStart
    print(String(format: "peer list, kubectl:     %.3f s for get -o json (exit %d)", seconds(kubectlTime), kubectl.terminationStatus))
    print(String(format: "KubeClient listAll:     %.3f s for %d objects (%.2fx kubectl's time)",
                 seconds(ownTime), own.items.count, seconds(ownTime) / seconds(kubectlTime)))
} else {
    print("peer list, kubectl:     not run (kubectl not found)")
}
