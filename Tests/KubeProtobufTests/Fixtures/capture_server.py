#!/usr/bin/env python3
"""A stand-in API server that records what kubectl sends, for the KubeProtobuf fixtures.

Writes the body of every POST/PUT to <out>/last.bin (and its method, path and content type to
<out>/log.txt), then answers 500 so kubectl stops. Serves just enough legacy discovery (/api,
/apis, /api/v1 with pods, configmaps and nodes) for `kubectl create role/clusterrole --resource`.
Usage: capture_server.py <port> <out dir>
"""
import http.server, json, os, sys

PORT, OUT = int(sys.argv[1]), sys.argv[2]

class Recorder(http.server.BaseHTTPRequestHandler):
    def reply(self, code, body):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        path = self.path.split("?")[0]
        if path == "/api":
            return self.reply(200, {"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": []})
        if path == "/apis":
            return self.reply(200, {"kind": "APIGroupList", "apiVersion": "v1", "groups": []})
        if path == "/api/v1":
            resources = [{"name": n, "singularName": "", "namespaced": ns, "kind": k, "verbs": ["get", "list", "create"]}
                         for n, k, ns in [("pods", "Pod", True), ("configmaps", "ConfigMap", True), ("nodes", "Node", False)]]
            return self.reply(200, {"kind": "APIResourceList", "groupVersion": "v1", "resources": resources})
        self.reply(404, {"kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": "NotFound", "code": 404})

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with open(os.path.join(OUT, "last.bin"), "wb") as f:
            f.write(body)
        with open(os.path.join(OUT, "log.txt"), "a") as f:
            f.write(f"{self.command} {self.path} {self.headers.get('Content-Type')}\n")
        self.reply(500, {"kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": "InternalError",
                         "code": 500, "message": "captured"})

    do_PUT = do_POST

    def log_message(self, *args):
        pass

http.server.ThreadingHTTPServer(("127.0.0.1", PORT), Recorder).serve_forever()
