/// One rule appended to a chain: `-A <chain> <arguments>` in iptables-restore input.
public struct CaptureRule: Hashable, Sendable, CustomStringConvertible {
    public var chain: String
    public var arguments: [String]

    public init(_ chain: String, _ arguments: [String]) {
        self.chain = chain
        self.arguments = arguments
    }

    public var description: String { (["-A", chain] + arguments).joined(separator: " ") }
}

/// The nat-table rules a `CaptureSpec` stands for, in one address family: Causeway's chains in
/// creation order, the rules inside them, and the jumps from the built-in chains into them.
public struct CaptureRuleset: Hashable, Sendable {
    public var family: IPFamily
    public var chains: [String]
    public var rules: [CaptureRule]
    public var jumps: [CaptureRule]

    public init(_ spec: CaptureSpec, family: IPFamily) {
        self.family = family
        let tcp = ["-p", "tcp"]
        let loopback = family.loopback.description
        let owners = [["-m", "owner", "--uid-owner", String(spec.proxyUID)], ["-m", "owner", "--gid-owner", String(spec.proxyGID)]]
        var rules = [
            CaptureRule(CaptureChain.redirect, tcp + ["-j", "REDIRECT", "--to-ports", String(spec.outboundPort)]),
            CaptureRule(CaptureChain.inboundRedirect, tcp + ["-j", "REDIRECT", "--to-ports", String(spec.inboundPort)]),
        ]
        chains = [CaptureChain.output, CaptureChain.redirect, CaptureChain.inboundRedirect]
        jumps = [CaptureRule("OUTPUT", tcp + ["-j", CaptureChain.output])]

        if spec.capturesInbound {
            chains.insert(CaptureChain.inbound, at: 1)
            jumps.insert(CaptureRule("PREROUTING", tcp + ["-j", CaptureChain.inbound]), at: 0)
            // Excluded ports first: they win over an include list that names them too.
            for port in spec.excludeInboundPorts {
                rules.append(CaptureRule(CaptureChain.inbound, tcp + ["--dport", String(port), "-j", "RETURN"]))
            }
            switch spec.inboundPorts {
            case .all:
                rules.append(CaptureRule(CaptureChain.inbound, tcp + ["-j", CaptureChain.inboundRedirect]))
            case .only(let ports):
                for port in ports where !spec.excludeInboundPorts.contains(port) {
                    rules.append(CaptureRule(CaptureChain.inbound, tcp + ["--dport", String(port), "-j", CaptureChain.inboundRedirect]))
                }
            }
            // The proxy calling its own pod IP leaves through lo. That is the hairpin of a pod
            // calling a Service whose endpoint is itself: the outbound side has already done its
            // work (and may speak mTLS), so the connection must reach the inbound side, as if it
            // had arrived from another pod, and not the app directly.
            for owner in owners {
                rules.append(CaptureRule(CaptureChain.output, ["-o", "lo", "!", "-d", loopback] + owner + ["-j", CaptureChain.inbound]))
            }
        }
        // Everything else the proxy sends goes out as is; capturing it would loop.
        for owner in owners {
            rules.append(CaptureRule(CaptureChain.output, owner + ["-j", "RETURN"]))
        }
        // The app's own traffic over lo — to localhost, or to its own pod IP, which the kernel also
        // routes through lo — stays inside the pod and is not captured.
        rules.append(CaptureRule(CaptureChain.output, ["-o", "lo", "-j", "RETURN"]))
        rules.append(CaptureRule(CaptureChain.output, ["-d", loopback, "-j", "RETURN"]))
        for port in spec.excludeOutboundPorts {
            rules.append(CaptureRule(CaptureChain.output, tcp + ["--dport", String(port), "-j", "RETURN"]))
        }
        for cidr in spec.excludeOutboundCIDRs where cidr.family == family {
            rules.append(CaptureRule(CaptureChain.output, ["-d", cidr.description, "-j", "RETURN"]))
        }
        rules.append(CaptureRule(CaptureChain.output, ["-j", CaptureChain.redirect]))
        // Chain by chain, in the order the chains are declared, so the text reads top-down.
        self.rules = chains.flatMap { chain in rules.filter { $0.chain == chain } }
    }
}
