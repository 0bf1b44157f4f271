import ArgumentParser
import ProxyCommandLine

/// The data plane alone: what gateway pods and sidecars run (`causeway proxy` execs it). It links
/// only the proxy's modules, so an idle proxy holds far fewer pages than the full `causeway`.
@main
struct CausewayProxy: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "causeway-proxy", abstract: ProxyOptions.abstract)

    @OptionGroup var options: ProxyOptions

    func run() async throws {
        try await options.run()
    }
}
