import ControllerRuntime
import Foundation
import KubeClient
import KubeModel
import Logging
import Synchronization
import WorkloadCA

/// The leader's side of the mesh CA, once a tick: reads `MeshConfig/default`, advances the root
/// rotation and intermediate renewal (`RootRotation.step`), stores the result in the Secret before
/// it signs with it, publishes the trust bundle to every namespace and writes MeshConfig status
/// and Events for each phase.
struct MeshIdentityController: Runnable {
    let client: KubeClient
    let namespace: String
    let caches: ClusterCaches
    let authority: MeshAuthority
    let events: EventRecorder
    let logger: Logger
    var tick: Duration = .seconds(1)
    /// Proxies poll their bundle every 30 s by default; one not heard from in three polls is gone.
    var reportWindow: TimeInterval = 90
    var name: String { "mesh-identity" }

    private final class Memory: Sendable {
        let lastRotation = Mutex<(reason: String, message: String)?>(nil)
    }
    private let memory = Memory()

    func run() async {
        authority.leading.withLock { $0 = true }
        defer { authority.leading.withLock { $0 = false } }
        guard caches.meshConfigs != nil else {
            logger.info("MeshConfig is not served (CRD missing); the mesh CA keeps its defaults")
            await runLoop()
            return
        }
        await ensureMeshConfig()
        await runLoop()
    }

    private func runLoop() async {
        var stored: MeshCASecret.Stored?
        var pluggedCheck = ContinuousClock.now - .seconds(60)
        var plugged: PluggedCA?
        var pluggedProblem: String?
        while !Task.isCancelled {
            let meshConfig = caches.meshConfigs?.cache.get(name: MeshSettings.objectName, namespace: nil)
            var settings = MeshSettings(spec: meshConfig?["spec"])
            do {
                if ContinuousClock.now - pluggedCheck >= .seconds(5) {
                    pluggedCheck = .now
                    do {
                        plugged = try await MeshCASecret.readPlugged(client: client, namespace: namespace)
                        pluggedProblem = nil
                    } catch let error as UnusablePluggedCA {
                        // Keep issuing from what worked last (the user's previous CA, or the generated one).
                        pluggedProblem = "\(error); issuing from " + (plugged == nil ? "the generated CA" : "its last usable version")
                    }
                }
                if let pluggedProblem { settings.problems.append(pluggedProblem) }
                if let plugged {
                    authority.install(plugged, policy: settings.policy)
                    await publishAndReport(meshConfig: meshConfig, settings: settings, state: nil, plugged: plugged.authority,
                                           bundle: plugged.bundle)
                } else {
                    if stored == nil {
                        stored = try await MeshCASecret.loadOrCreate(client: client, namespace: namespace, settings: settings.rotation,
                                                                     logger: logger)
                    }
                    guard var current = stored else { continue }
                    let bundle = current.state.bundle
                    let summary = authority.reportSummary(current: bundle.fingerprint, window: reportWindow)
                    var generator = SystemRandomNumberGenerator()
                    let (next, transitions) = try RootRotation.step(
                        current.state,
                        .init(now: Date(), rotationRequest: settings.rotationRequest, proxiesReporting: summary.reporting,
                              proxiesWithCurrentBundle: summary.current),
                        settings: settings.rotation, generator: &generator)
                    if next != current.state {
                        do {
                            current.resourceVersion = try await MeshCASecret.write(next, client: client, namespace: namespace,
                                                                                   resourceVersion: current.resourceVersion)
                            current.state = next
                            stored = current
                        } catch let error as KubeAPIError where error.code == .conflict {
                            stored = nil
                            continue
                        }
                        for transition in transitions { announce(transition, on: meshConfig) }
                    }
                    authority.install(current.state, policy: settings.policy)
                    await publishAndReport(meshConfig: meshConfig, settings: settings, state: current.state, plugged: nil,
                                           bundle: current.state.bundle)
                }
            } catch {
                logger.warning("mesh CA step failed; retrying", metadata: ["error": "\(error)"])
                stored = nil
            }
            try? await Task.sleep(for: tick)
        }
    }

    private func publishAndReport(meshConfig: JSONValue?, settings: MeshSettings, state: CAState?, plugged: SigningAuthority?,
                                  bundle: TrustBundle) async {
        await TrustBundlePublisher(client: client, caches: caches, logger: logger).publish(bundle.pem)
        guard let meshConfig else { return }
        let previous = meshConfig["status"]
        var lastRotation = memory.lastRotation.withLock { $0 }
        if lastRotation == nil, let old = previous?["conditions"]?.arrayValue?.first(where: { $0["type"]?.stringValue == "RootRotation" }),
           old["reason"]?.stringValue == "RotationComplete" {
            lastRotation = ("RotationComplete", old["message"]?.stringValue ?? "")
        }
        let summary = authority.reportSummary(current: bundle.fingerprint, window: reportWindow)
        let status = MeshConfigStatus.make(
            .init(source: state == nil ? .plugged : .generated, trustDomain: settings.rotation.trustDomain, state: state,
                  pluggedAuthority: plugged, bundle: bundle, proxies: summary, problems: settings.problems,
                  generation: meshConfig[path: ["metadata", "generation"]]?.intValue, lastRotation: lastRotation),
            previous: previous, now: Date())
        guard !MeshConfigStatus.same(previous, status) else { return }
        do {
            _ = try await client.resource(WatchedKind.meshConfigs.descriptor).patch(
                MeshSettings.objectName, kind: .merge, patch: ["status": status], subresource: "status")
        } catch {
            logger.warning("could not write MeshConfig status", metadata: ["error": "\(error)"])
        }
    }

    private func announce(_ transition: RootRotation.Transition, on meshConfig: JSONValue?) {
        let (reason, message): (String, String)
        switch transition {
        case .rotationStarted(let why, let newRoot):
            (reason, message) = ("DistributingNewRoot", "root rotation started: \(why); new root \(newRoot) added to the trust bundle")
        case .issuanceSwitched(let newRoot, let retiresAt):
            (reason, message) = ("IssuingFromNewRoot", "every reporting proxy holds the new bundle; issuing from root \(newRoot); "
                + "the old root leaves the bundle at \(MeshCASecret.format(retiresAt))")
        case .oldRootRetired(let oldRoot):
            (reason, message) = ("RotationComplete", "old root \(oldRoot) removed from the trust bundle at \(MeshCASecret.format(Date()))")
            memory.lastRotation.withLock { $0 = (reason, message) }
        case .intermediateRenewed(let intermediate, let notAfter):
            (reason, message) = ("IntermediateRenewed", "new intermediate \(intermediate), valid until \(MeshCASecret.format(notAfter))")
        }
        logger.info("\(message)", metadata: ["reason": "\(reason)"])
        if let meshConfig { events.normal(reason: reason, message: message, on: meshConfig, kind: .meshConfigs) }
    }

    /// The MeshConfig users read the CA's status from exists from the first start.
    private func ensureMeshConfig() async {
        let object: JSONValue = ["apiVersion": "causeway.dev/v1alpha1", "kind": "MeshConfig",
                                 "metadata": ["name": .string(MeshSettings.objectName)], "spec": [:]]
        do {
            _ = try await client.resource(WatchedKind.meshConfigs.descriptor).create(object)
            logger.info("created MeshConfig \(MeshSettings.objectName)")
        } catch let error as KubeAPIError where error.code == .alreadyExists {
        } catch {
            logger.warning("could not create MeshConfig \(MeshSettings.objectName)", metadata: ["error": "\(error)"])
        }
    }
}
