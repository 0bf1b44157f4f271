import ArgumentParser
import ProxyCommandLine

/// `causeway proxy`: the data plane. `ProxyExecutable` hands it to the lean `causeway-proxy`
/// binary when one is installed next to this one, so this runs only without it.
struct ProxyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "proxy", abstract: ProxyOptions.abstract)

    @OptionGroup var options: ProxyOptions

    func run() async throws {
        try await options.run()
    }
}
