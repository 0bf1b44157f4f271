import Testing
import WorkloadCA

@Suite struct SPIFFEIDTests {
    @Test(arguments: [
        "spiffe://cluster.local/ns/shop/sa/web",
        "spiffe://cluster.local/ns/default/sa/default",
        "spiffe://prod.example-corp_1/ns/kube-system/sa/coredns.v2",
    ])
    func parsingAndFormattingRoundTrip(uri: String) throws {
        let id = try SPIFFEID(parsing: uri)
        #expect(id.uri == uri)
        #expect(id.description == uri)
        #expect(try SPIFFEID(parsing: id.uri) == id)
    }

    @Test func partsAreReadBack() throws {
        let id = try SPIFFEID(parsing: "spiffe://cluster.local/ns/shop/sa/web")
        #expect(id == SPIFFEID(trustDomain: "cluster.local", namespace: "shop", serviceAccount: "web"))
        #expect(id.trustDomain == "cluster.local")
        #expect(id.namespace == "shop")
        #expect(id.serviceAccount == "web")
    }

    @Test(arguments: [
        "https://cluster.local/ns/shop/sa/web",          // not spiffe://
        "cluster.local/ns/shop/sa/web",                  // no scheme
        "spiffe://cluster.local/ns/shop/sa",             // missing the service account
        "spiffe://cluster.local/ns/shop",                // missing /sa/...
        "spiffe://cluster.local",                        // no path
        "spiffe://cluster.local/ns/shop/sa/web/extra",   // extra segment
        "spiffe://cluster.local/ns/shop/sa/web/",        // trailing slash
        "spiffe://cluster.local/namespace/shop/sa/web",  // wrong keyword
        "spiffe://cluster.local/ns/shop/serviceaccount/web",
        "spiffe://cluster.local/sa/web/ns/shop",         // keywords swapped
        "spiffe://Cluster.Local/ns/shop/sa/web",         // uppercase trust domain
        "spiffe://cluster.local:8443/ns/shop/sa/web",    // port
        "spiffe://user@cluster.local/ns/shop/sa/web",    // userinfo
        "spiffe:///ns/shop/sa/web",                      // empty trust domain
        "spiffe://cluster.local/ns//sa/web",             // empty namespace
        "spiffe://cluster.local/ns/shop/sa/",            // empty service account
        "spiffe://cluster.local//ns/shop/sa/web",        // empty segment
        "spiffe://cluster.local/ns/Shop/sa/web",         // uppercase namespace
        "spiffe://cluster.local/ns/shop/sa/web?x=1",     // query
        "spiffe://cluster.local/ns/shop/sa/web#frag",    // fragment
        "spiffe://cluster.local/ns/shop/sa/w%20b",       // percent-encoding
        "",
    ])
    func malformedIdentitiesAreRefused(uri: String) {
        let error = expectRefusal(.malformedIdentity) { try SPIFFEID(parsing: uri) }
        #expect(error?.message.isEmpty == false)
    }

    @Test func orderIsByURI() {
        let a = SPIFFEID(trustDomain: "cluster.local", namespace: "a", serviceAccount: "z")
        let b = SPIFFEID(trustDomain: "cluster.local", namespace: "b", serviceAccount: "a")
        #expect(a < b)
        #expect([b, a].sorted() == [a, b])
    }
}
