import ArgumentParser

@main
struct Causeway: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "causeway",
        abstract: "Causeway: one control plane for the Kubernetes gateway and service mesh.",
        subcommands: [DevCommand.self, ControllerCommand.self, ProxyCommand.self, EchoCommand.self, InitCommand.self, WebhookCommand.self,
                      InjectCommand.self, WaitReadyCommand.self]
    )

    static func main() async {
        ProxyExecutable.execIfInstalled(CommandLine.arguments)
        await main(nil)
    }
}
