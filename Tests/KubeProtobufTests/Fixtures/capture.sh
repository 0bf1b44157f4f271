#!/usr/bin/env bash
# Regenerates the kubectl fixtures: <name>.bin is the protobuf body `kubectl create …` sends,
# <name>.json what the same command prints with --dry-run=client -o json (where kubectl offers it).
# Needs kubectl, python3 and openssl. Run from anywhere: ./capture.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 "$here/capture_server.py" "$port" "$work" &
server=$!
trap 'kill $server; rm -rf "$work"' EXIT
cat > "$work/kubeconfig" <<CONFIG
apiVersion: v1
kind: Config
clusters: [{name: capture, cluster: {server: "http://127.0.0.1:$port"}}]
users: [{name: capture, user: {token: capture}}]
contexts: [{name: capture, context: {cluster: capture, user: capture, namespace: default}}]
current-context: capture
CONFIG
export KUBECONFIG="$work/kubeconfig"
for _ in $(seq 50); do curl -s "http://127.0.0.1:$port/api" >/dev/null && break; sleep 0.1; done
printf '\x00\x01\x02\xff\xfe' > "$work/blob.bin"

# capture <name> <has dry-run json: yes|no> <kubectl args…>
capture() {
    local name=$1 json=$2
    shift 2
    rm -f "$work/last.bin"
    kubectl "$@" >/dev/null 2>&1 || true
    [ -f "$work/last.bin" ] || { echo "no body captured for $name" >&2; exit 1; }
    cp "$work/last.bin" "$here/$name.bin"
    if [ "$json" = yes ]; then kubectl "$@" --dry-run=client -o json > "$here/$name.json"; fi
}

capture namespace yes create namespace demo
capture configmap yes create configmap cfg --from-literal=a=b --from-literal=greeting=héllo --from-file=blob="$work/blob.bin"
capture secret-generic yes create secret generic creds --from-literal=password=hunter2 --from-literal=user=admin --type=Opaque
capture secret-docker-registry yes create secret docker-registry reg --docker-server=r.io --docker-username=u --docker-password=p
capture serviceaccount yes create serviceaccount builder
capture deployment yes create deployment web --image=nginx:1.27 --port=8080 --replicas=3
capture service-clusterip yes create service clusterip web --tcp=80:http --tcp=443:8443
capture service-nodeport yes create service nodeport np --tcp=80:8080 --node-port=30080
capture service-externalname yes create service externalname ext --external-name=example.com
capture token no create token builder --audience=api --audience=vault --duration=1h --bound-object-kind=Pod --bound-object-name=p1 --bound-object-uid=1234
capture role yes create role reader --verb=get,list --resource=pods,configmaps --resource-name=x
capture rolebinding yes create rolebinding rb --role=reader --serviceaccount=default:builder --user=alice --group=devs
capture clusterrole yes create clusterrole cr --verb=get,list,watch --resource=nodes
capture clusterrole-nonresource yes create clusterrole health --verb=get --non-resource-url=/healthz
capture clusterrole-aggregated yes create clusterrole agg --aggregation-rule=rbac.example.com/aggregate-to-monitoring=true
capture clusterrolebinding yes create clusterrolebinding crb --clusterrole=cr --user=bob
capture job no create job once --image=busybox -- echo hi
capture cronjob no create cronjob nightly --image=busybox --schedule="*/5 * * * *" -- echo hi
capture priorityclass yes create priorityclass high --value=1000 --description=important
capture poddisruptionbudget yes create poddisruptionbudget pdb --selector=app=web --min-available=1
capture ingress yes create ingress ing --rule="foo.com/bar=svc1:8080,tls=my-cert"
capture resourcequota yes create quota q --hard=cpu=1,memory=1G,pods=2
capture selfsubjectaccessreview no auth can-i get pods
capture selfsubjectaccessreview-subresource no auth can-i create deployments.apps --subresource=scale -n prod
capture selfsubjectaccessreview-nonresource no auth can-i get /healthz
capture selfsubjectrulesreview no auth can-i --list -n team
capture selfsubjectreview no auth whoami
grep -v vnd.kubernetes.protobuf "$work/log.txt" >&2 && { echo "some bodies were not protobuf" >&2; exit 1; }
echo "captured $(ls "$here"/*.bin | wc -l) bodies with $(kubectl version --client 2>/dev/null | head -1)"
