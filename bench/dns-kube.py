#!/usr/bin/env python3
"""Helper of bench/dns-kube.sh (run inside its network namespace): the objects in the API server, dnsperf's query
files, waiting for an answer, and the change-to-answer measurement. Standard library only.

The objects for N Services (G = N/10 groups, at least one):
  Pods      pod-i  in ns-(g%10), g = i//10, label app=grp-g, on node-(i%2), IP 10.244.0.10+i, Running and Ready
  ClusterIP svc-i  in ns-(g%10), selector app=grp-g, ClusterIP 10.96.0.10+i, port http 80/TCP
  headless  hs-g   in ns-(g%10), selector app=grp-g (so 10 ready endpoints each), port http 80/TCP
So every group's 10 Pods are selected by 10 ClusterIP Services and one headless Service: N+G EndpointSlices.

  dns-kube.py load API CERT_DIR N           creates namespaces, Nodes, Pods (+ status), Services; prints timings
  dns-kube.py slices API CERT_DIR N         exit 0 when every Service has its slice with 10 ready endpoints
  dns-kube.py queries DIR N                 writes DIR/q-<row>.txt for dnsperf and DIR/last-names
  dns-kube.py answers PORT NAME TYPE MIN    exit 0 when PORT answers NAME/TYPE with at least MIN records
  dns-kube.py changes API CERT_DIR N COUNT OURS PEER   change-to-answer: prints one line per Service created
"""
import ipaddress
import json
import random
import socket
import ssl
import struct
import sys
import threading
import time
import http.client
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

NAMESPACES = 10
GROUP = 10
SERVICE_BASE = ipaddress.ip_address("10.96.0.10")
POD_BASE = ipaddress.ip_address("10.244.0.10")


def groups(n):
    return max(1, n // GROUP)


def ns_of_group(g):
    return f"ns-{g % NAMESPACES}"


class Api:
    """A small client of kube-apiserver with the admin client certificate, one keep-alive connection per thread."""

    def __init__(self, url, cert_dir):
        u = urlparse(url)
        self.host, self.port = u.hostname, u.port
        self.ctx = ssl.create_default_context(cafile=f"{cert_dir}/ca.crt")
        self.ctx.load_cert_chain(f"{cert_dir}/admin.crt", f"{cert_dir}/admin.key")
        self.local = threading.local()

    def call(self, method, path, body=None, content_type="application/json", ok=(200, 201)):
        for attempt in range(5):
            conn = getattr(self.local, "conn", None)
            if conn is None:
                conn = self.local.conn = http.client.HTTPSConnection(self.host, self.port, context=self.ctx, timeout=60)
            try:
                data = None if body is None else json.dumps(body).encode()
                conn.request(method, path, body=data, headers={"Content-Type": content_type})
                r = conn.getresponse()
                payload = r.read()
            except (OSError, http.client.HTTPException):
                self.local.conn = None
                time.sleep(0.2 * (attempt + 1))
                continue
            if r.status in ok:
                return json.loads(payload) if payload else None
            if r.status == 409 and method == "POST":  # already there (a retried create)
                return None
            if r.status in (429, 500, 503, 504):
                time.sleep(0.2 * (attempt + 1))
                continue
            raise RuntimeError(f"{method} {path}: {r.status} {payload[:300]!r}")
        raise RuntimeError(f"{method} {path}: no answer after retries")


def pod(i):
    g = i // GROUP
    return ns_of_group(g), {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": f"pod-{i}", "labels": {"app": f"grp-{g}"}},
        "spec": {"nodeName": f"node-{i % 2}", "automountServiceAccountToken": False,
                 "containers": [{"name": "c", "image": "registry.k8s.io/pause:3.10",
                                 "ports": [{"name": "http", "containerPort": 8080}]}]}}


def pod_status(i):
    ip = str(POD_BASE + i)
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    return {"status": {"phase": "Running", "podIP": ip, "podIPs": [{"ip": ip}], "hostIP": f"10.240.0.{1 + i % 2}",
                       "startTime": now,
                       "conditions": [{"type": t, "status": "True", "lastTransitionTime": now}
                                      for t in ("Initialized", "ContainersReady", "Ready", "PodScheduled")]}}


def service(name, cluster_ip, selector):
    spec = {"clusterIP": cluster_ip, "ports": [{"name": "http", "port": 80, "protocol": "TCP", "targetPort": 8080}]}
    if selector:
        spec["selector"] = {"app": selector}
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name}, "spec": spec}


def in_parallel(what, fn, items, workers=16):
    start = time.monotonic()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(fn, items))
    took = time.monotonic() - start
    print(f"  {what}: {len(items)} in {took:.1f} s ({len(items) / took:.0f}/s)", flush=True)


def load(api, n):
    for k in range(min(NAMESPACES, groups(n))):
        api.call("POST", "/api/v1/namespaces", {"apiVersion": "v1", "kind": "Namespace",
                                                "metadata": {"name": f"ns-{k}"}})
        api.call("POST", f"/api/v1/namespaces/ns-{k}/serviceaccounts",
                 {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "default"}})
    for k in range(2):
        api.call("POST", "/api/v1/nodes", {"apiVersion": "v1", "kind": "Node", "metadata": {"name": f"node-{k}"}})
        api.call("PATCH", f"/api/v1/nodes/node-{k}/status", {"status": {
            "addresses": [{"type": "InternalIP", "address": f"10.240.0.{k + 1}"}],
            "conditions": [{"type": "Ready", "status": "True", "reason": "Bench"}]}},
            content_type="application/merge-patch+json")

    def create_pod(i):
        ns, body = pod(i)
        api.call("POST", f"/api/v1/namespaces/{ns}/pods", body)

    def ready_pod(i):
        ns = pod(i)[0]
        api.call("PATCH", f"/api/v1/namespaces/{ns}/pods/pod-{i}/status", pod_status(i),
                 content_type="application/merge-patch+json")

    def create_service(i):
        g = i // GROUP
        api.call("POST", f"/api/v1/namespaces/{ns_of_group(g)}/services",
                 service(f"svc-{i}", str(SERVICE_BASE + i), f"grp-{g}"))

    def create_headless(g):
        api.call("POST", f"/api/v1/namespaces/{ns_of_group(g)}/services", service(f"hs-{g}", "None", f"grp-{g}"))

    in_parallel("Pods created", create_pod, range(n))
    in_parallel("Pod status set (Running, Ready, podIP)", ready_pod, range(n))
    in_parallel("ClusterIP Services created", create_service, range(n))
    in_parallel("headless Services created", create_headless, range(groups(n)))


def slices_complete(api, n):
    """Services whose EndpointSlices (managed by the EndpointSlice controller) hold 10 ready endpoints."""
    complete, cont = set(), ""
    while True:
        page = api.call("GET", "/apis/discovery.k8s.io/v1/endpointslices?limit=1000" + (f"&continue={cont}" if cont else ""))
        for s in page["items"]:
            ready = sum(1 for e in s.get("endpoints") or [] if (e.get("conditions") or {}).get("ready"))
            svc = s["metadata"].get("labels", {}).get("kubernetes.io/service-name", "")
            if ready == GROUP and (svc.startswith("svc-") or svc.startswith("hs-")):
                complete.add((s["metadata"]["namespace"], svc))
        cont = page["metadata"].get("continue")
        if not cont:
            return len(complete)


def svc_name(i):
    return f"svc-{i}.{ns_of_group(i // GROUP)}.svc.cluster.local"


def queries(directory, n):
    rnd = random.Random(42)
    rows = {
        "clusterip-a": [f"{svc_name(i)} A" for i in range(n)],
        "headless-a": [f"hs-{g}.{ns_of_group(g)}.svc.cluster.local A" for g in range(groups(n))],
        "srv": [f"_http._tcp.{svc_name(i)} SRV" for i in range(n)],
        "ptr": [f"{(SERVICE_BASE + i).reverse_pointer} PTR" for i in range(n)],
        "nxdomain": [f"nosuch-{i}.{ns_of_group(i // GROUP)}.svc.cluster.local A" for i in range(n)],
        "forward": [f"host-{i}.example.test A" for i in range(min(n, 1000))],
    }
    for row, lines in rows.items():
        rnd.shuffle(lines)
        with open(f"{directory}/q-{row}.txt", "w") as f:
            f.write("\n".join(lines) + "\n")
    g = groups(n) - 1
    with open(f"{directory}/last-names", "w") as f:
        f.write(f"{svc_name(n - 1)} A 1\nhs-{g}.{ns_of_group(g)}.svc.cluster.local A {GROUP}\n")


def question(name, qtype, qid):
    labels = b"".join(bytes([len(p)]) + p.encode() for p in name.rstrip(".").split("."))
    return struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0) + labels + b"\0" + struct.pack(">HH", qtype, 1)


TYPES = {"A": 1, "SRV": 33, "PTR": 12}


def ask(sock, port, name, qtype, wait):
    """One query; (rcode, answer count) or None when nothing came back within wait seconds."""
    qid = random.randrange(65536)
    sock.sendto(question(name, qtype, qid), ("127.0.0.1", port))
    deadline = time.monotonic() + wait
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        sock.settimeout(left)
        try:
            r = sock.recv(4096)
        except socket.timeout:
            return None
        if len(r) >= 12 and struct.unpack(">H", r[:2])[0] == qid:
            return struct.unpack(">H", r[2:4])[0] & 0xF, struct.unpack(">H", r[6:8])[0]


def answers(port, name, qtype, minimum):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    r = ask(s, port, name, TYPES[qtype], 1.0)
    sys.exit(0 if r and r[0] == 0 and r[1] >= minimum else 1)


def poll_until_answered(port, name, t0, out, key):
    """Every ~5 ms until NOERROR with an answer; records seconds since t0 and how many negative answers came first."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    negatives = 0
    while time.monotonic() - t0 < 60:
        tick = time.monotonic()
        r = ask(s, port, name, 1, 0.005)
        if r and r[0] == 0 and r[1] > 0:
            out[key] = (time.monotonic() - t0, negatives)
            return
        if r:
            negatives += 1
        time.sleep(max(0.0, 0.005 - (time.monotonic() - tick)))
    out[key] = (float("inf"), negatives)


def changes(api, n, count, ours, peer):
    for k in range(count):
        name = f"chg-{k}"
        body = service(name, str(SERVICE_BASE + n + 100 + k), None)
        api.call("POST", "/api/v1/namespaces/ns-0/services", body)
        t0 = time.monotonic()  # the Service exists from here on: never asked before
        out = {}
        fqdn = f"{name}.ns-0.svc.cluster.local"
        threads = [threading.Thread(target=poll_until_answered, args=(p, fqdn, t0, out, key))
                   for key, p in (("ours", ours), ("peer", peer))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        print(f"CHANGE {k} ours_ms={out['ours'][0] * 1000:.1f} ours_negatives={out['ours'][1]} "
              f"peer_ms={out['peer'][0] * 1000:.1f} peer_negatives={out['peer'][1]}", flush=True)
        time.sleep(0.3)


def main(argv):
    cmd = argv[1]
    if cmd == "load":
        load(Api(argv[2], argv[3]), int(argv[4]))
    elif cmd == "slices":
        done, want = slices_complete(Api(argv[2], argv[3]), int(argv[4])), int(argv[4]) + groups(int(argv[4]))
        print(f"{done}/{want}")
        sys.exit(0 if done >= want else 1)
    elif cmd == "queries":
        queries(argv[2], int(argv[3]))
    elif cmd == "answers":
        answers(int(argv[2]), argv[3], argv[4], int(argv[5]))
    elif cmd == "changes":
        changes(Api(argv[2], argv[3]), int(argv[4]), int(argv[5]), int(argv[6]), int(argv[7]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
