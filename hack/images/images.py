"""The images hack/images/build.sh makes: what goes into each, from which host files (Debian packages' files).

    python3 images.py --out DIR --pause BIN --agnhost BIN --agnhost-src DIR --getent BIN --coredns BIN --boom-server BIN
    python3 images.py --out DIR --only jre      (the two JRE bases only)

Prints one "<name> <archive>" line per image on stdout. Each layer is keyed by its entries (container path,
kind, source path, size, mtime, mode) and each archive by its layers and config, so a rerun with unchanged
inputs only lists files and compares keys.
"""
import argparse
import hashlib
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oci  # noqa: E402

JAVA_HOME = "/usr/lib/jvm/java-17-openjdk-amd64"
JVM_PACKAGE = "openjdk-17-jre-headless"
PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
FORMAT = "3"  # bump to force a rebuild when the layout logic changes


def log(msg):
    print(f"[images] {msg}", file=sys.stderr, flush=True)


# --- filesystem helpers ------------------------------------------------------------------------------

def merged_usr(layer):
    """Debian 12's merged /usr: /bin, /sbin, /lib, /lib64 are symlinks into /usr."""
    for d in ("bin", "sbin", "lib", "lib64"):
        layer.symlink("/" + d, "usr/" + d)
        layer.dir("/usr/" + d)


def canonical(path):
    """The host path with its directory resolved (the file name itself may still be a symlink)."""
    return os.path.join(os.path.realpath(os.path.dirname(path)), os.path.basename(path))


def add_host_path(layer, path, skip=None):
    """Adds a host file at the same (canonical) path, following symlink chains, each link kept."""
    path = canonical(path)
    while True:
        if path in layer or (skip is not None and path in skip):
            return
        if os.path.islink(path):
            target = os.readlink(path)
            layer.symlink(path, target)
            path = canonical(os.path.join(os.path.dirname(path), target))
        elif os.path.isdir(path):
            layer.dir(path)  # a link's target directory, not its contents (e.g. docs -> /usr/share/doc/...)
            return
        else:
            layer.file(path, path)
            return


def shared_libraries(files):
    """The shared libraries (ldd's resolved paths, loader included) the ELF files need; missing ones logged."""
    libs, missing = set(), set()
    elf = [f for f in files if is_elf(f)]
    if not elf:
        return libs
    out = subprocess.run(["ldd"] + elf, capture_output=True, text=True).stdout
    for line in out.splitlines():
        line = line.strip()
        if "=> not found" in line:
            missing.add(line.split()[0])
        elif "=>" in line:
            target = line.split("=>", 1)[1].split("(")[0].strip()
            if target.startswith("/"):
                libs.add(target)
        elif line.startswith("/") and "(" in line:
            libs.add(line.split()[0])
    provided = {os.path.basename(f) for f in files}
    missing -= provided  # e.g. libjvm.so: loaded by the launcher from the JRE itself
    if missing:
        log(f"not on this machine, left out (only needed by optional parts): {' '.join(sorted(missing))}")
    return libs


def is_elf(path):
    try:
        with open(path, "rb") as f:
            return f.read(4) == b"\x7fELF"
    except OSError:
        return False


def dpkg_files(package):
    out = subprocess.run(["dpkg", "-L", package], capture_output=True, text=True, check=True).stdout
    return [p for p in out.splitlines() if p not in ("/.", "")]


def dpkg_version(package):
    return subprocess.run(["dpkg-query", "-W", "-f", "${Version}", package], capture_output=True, text=True,
                          check=True).stdout


def etc_files(users, groups):
    passwd = "".join(f"{n}:x:{uid}:{gid}:{n}:{home}:{shell}\n" for n, uid, gid, home, shell in users)
    group = "".join(f"{n}:x:{gid}:{','.join(members)}\n" for n, gid, members in groups)
    return passwd, group


# --- layers ------------------------------------------------------------------------------------------

def busybox_layer():
    busybox = "/bin/busybox"
    layer = oci.Layer()
    layer.file("/bin/busybox", busybox, 0o755)
    applets = subprocess.run([busybox, "--list"], capture_output=True, text=True, check=True).stdout.split()
    for applet in applets:
        if applet != "busybox":
            layer.symlink("/bin/" + applet, "busybox")
    for d in ("/usr/bin", "/usr/sbin", "/sbin", "/root", "/home", "/var/spool/mail", "/var/www", "/etc"):
        layer.dir(d, 0o700 if d == "/root" else 0o755)
    layer.dir("/tmp", 0o1777)
    passwd, group = etc_files(
        [("root", 0, 0, "/root", "/bin/sh"), ("daemon", 1, 1, "/usr/sbin", "/bin/false"),
         ("nobody", 65534, 65534, "/home", "/bin/false")],
        [("root", 0, []), ("daemon", 1, []), ("nogroup", 65534, [])])
    layer.data("/etc/passwd", passwd)
    layer.data("/etc/group", group)
    return layer


def pause_layer(pause):
    layer = oci.Layer()
    layer.file("/pause", pause, 0o755)
    return layer


def agnhost_layer(agnhost, src, coredns):
    """What upstream's agnhost Dockerfile adds on top of its base (the busybox layer stands in for alpine)."""
    layer = oci.Layer()
    layer.file("/agnhost", agnhost, 0o755)
    layer.file("/coredns", coredns, 0o755)  # the DNS tests' own name servers run /coredns -conf <Corefile>
    layer.symlink("/agnhost-2", "agnhost")  # entrypoint-tester tests
    layer.dir("/uploads")  # netexec
    layer.file("/localhost.crt", os.path.join(src, "porter", "localhost.crt"), 0o644)  # porter
    layer.file("/localhost.key", os.path.join(src, "porter", "localhost.key"), 0o644)
    passwd, group = etc_files(
        [("root", 0, 0, "/root", "/bin/sh"), ("daemon", 1, 1, "/usr/sbin", "/bin/false"),
         ("nobody", 65534, 65534, "/home", "/bin/false"),
         ("user-defined-in-image", 1000, 1000, "/home/user-defined-in-image", "/bin/sh")],
        [("root", 0, []), ("daemon", 1, []), ("nogroup", 65534, []),
         ("user-defined-in-image", 1000, []), ("group-defined-in-image", 50000, ["user-defined-in-image"])])
    layer.data("/etc/passwd", passwd)
    layer.data("/etc/group", group)
    layer.dir("/home/user-defined-in-image", 0o755, 1000, 1000)
    return layer


# What upstream's agnhost image gets from its base's package manager and the e2e tests exec inside it
# (`nc -v -t -w 2`, `dig +notcp +noall +answer +search`, `curl`, `ip`): the Debian binaries, linked as on the host.
AGNHOST_TOOLS = {"/usr/bin/nc": "/bin/nc.openbsd", "/usr/bin/dig": "/usr/bin/dig",
                 "/usr/bin/nslookup": "/usr/bin/nslookup", "/usr/bin/curl": "/usr/bin/curl",
                 "/usr/sbin/ip": "/sbin/ip", "/usr/bin/bash": "/bin/bash",
                 # GNU wget: Debian's busybox wget (1.35) segfaults with -T, which the Service e2e probes pass
                 "/usr/bin/wget": "/usr/bin/wget"}


def agnhost_tools_layer(getent):
    """The tools above over the busybox layer, first on PATH (/usr/bin before /bin)."""
    layer = oci.Layer()
    for d in ("lib", "lib64"):  # the ELF interpreter and libraries under their merged-/usr paths
        layer.symlink("/" + d, "usr/" + d)
    sources = []
    for dest, src in AGNHOST_TOOLS.items():
        real = os.path.realpath(src)
        layer.file(dest, real, 0o755)
        sources.append(real)
    # Debian's static busybox prefers its own applets inside its shell whatever PATH says, so `sh -c "nc ..."`
    # would still run busybox's nc: /bin/sh is dash here (alpine's busybox, upstream's base, searches PATH), and the
    # /bin names of the real tools point at them too.
    for name, target in (("/bin/sh", "/usr/bin/dash"), ("/bin/bash", "/usr/bin/bash"), ("/bin/nc", "/usr/bin/nc"),
                         ("/bin/ip", "/usr/sbin/ip"), ("/bin/wget", "/usr/bin/wget")):
        layer.symlink(name, target)
    layer.file("/usr/bin/dash", os.path.realpath("/bin/dash"), 0o755)
    layer.file("/usr/bin/getent", getent, 0o755)  # static, musl
    sources.append(os.path.realpath("/bin/dash"))
    for lib in sorted(shared_libraries(sources)):
        add_host_path(layer, lib)
    for cert in ("/etc/ssl/certs/ca-certificates.crt",):
        if os.path.exists(cert):
            add_host_path(layer, cert)
    return layer


def debian_shell_layer(tools):
    """Debian's dash as /bin/sh, coreutils and the given tools, with the libraries they link, root and nobody."""
    layer = oci.Layer()
    merged_usr(layer)
    files = [os.path.realpath("/bin/dash")] + tools
    files += [p for p in dpkg_files("coreutils") if p.startswith(("/bin/", "/usr/bin/")) and os.path.isfile(p)
              and not os.path.islink(p)]
    files = [f for f in files if os.path.exists(f)]
    for f in files:
        add_host_path(layer, f)
    layer.symlink("/usr/bin/sh", "dash")
    for lib in sorted(shared_libraries(files)):
        add_host_path(layer, lib)
    layer.dir("/tmp", 0o1777)
    layer.dir("/root", 0o700)
    passwd, group = etc_files([("root", 0, 0, "/root", "/bin/sh"), ("nobody", 65534, 65534, "/nonexistent", "/bin/false")],
                              [("root", 0, []), ("nogroup", 65534, [])])
    layer.data("/etc/passwd", passwd)
    layer.data("/etc/group", group)
    return layer


def glibc_dns_layer():
    """What upstream's glibc-dns-testing image (Debian bookworm-slim + dnsutils) gives its probes: a POSIX shell,
    coreutils, glibc's getent and resolver, dig."""
    layer = debian_shell_layer(["/usr/bin/getent", "/usr/bin/dig", "/usr/bin/nslookup", "/usr/bin/host"])
    # glibc loads these at run time (dlopen), ldd does not list them
    for pattern in ("libnss_files.so.2", "libnss_dns.so.2", "libresolv.so.2"):
        path = "/usr/lib/x86_64-linux-gnu/" + pattern
        if os.path.exists(path):
            add_host_path(layer, path)
    layer.data("/etc/nsswitch.conf", "passwd: files\ngroup: files\nhosts: files dns\n")
    return layer


def distroless_iptables_layer():
    """What the KubeProxy e2e test runs in upstream's distroless-iptables image on a node: a shell, grep, which and
    conntrack."""
    layer = debian_shell_layer(["/usr/bin/grep", "/usr/bin/which.debianutils", "/usr/sbin/conntrack"])
    layer.symlink("/usr/bin/which", "which.debianutils")
    return layer


def jre_layer():
    """Debian's openjdk-17-jre-headless files, its /etc config, the CA keystore and the libraries it links."""
    layer = oci.Layer()
    merged_usr(layer)
    files = []
    for path in dpkg_files(JVM_PACKAGE):
        if path.startswith(("/usr/share/doc", "/usr/share/man", "/usr/lib/debug", "/usr/share/lintian",
                            "/usr/share/bug")):
            continue
        if os.path.isdir(path) and not os.path.islink(path):
            continue  # created as parents of what they contain
        if os.path.lexists(path):
            add_host_path(layer, path)
            files.append(path)
    # lib/security/cacerts points at the keystore ca-certificates-java generates (not a packaged file)
    cacerts = "/etc/ssl/certs/java/cacerts"
    if os.path.exists(cacerts):
        add_host_path(layer, cacerts)
    for lib in sorted(shared_libraries([f for f in files if os.path.isfile(f) and not os.path.islink(f)])):
        add_host_path(layer, lib)
    layer.symlink("/usr/bin/java", os.path.relpath(JAVA_HOME + "/bin/java", "/usr/bin"))
    for d in ("/root", "/home/default", "/deployments"):
        layer.dir(d, 0o700 if d == "/root" else 0o755, *((185, 0) if d != "/root" else (0, 0)))
    layer.dir("/tmp", 0o1777)
    passwd, group = etc_files(
        [("root", 0, 0, "/root", "/sbin/nologin"), ("default", 185, 0, "/home/default", "/sbin/nologin"),
         ("nobody", 65534, 65534, "/nonexistent", "/sbin/nologin")],
        [("root", 0, []), ("nogroup", 65534, [])])
    layer.data("/etc/passwd", passwd)
    layer.data("/etc/group", group)
    layer.data("/etc/nsswitch.conf", "passwd: files\ngroup: files\nhosts: files dns\n")
    return layer


def netfilter_layer(base, layer=None):
    """nft, conntrack and ip with the libraries they need that the base layer (if any) does not already have."""
    layer = layer or oci.Layer()
    binaries = ["/usr/sbin/nft", "/usr/sbin/conntrack", canonical("/sbin/ip")]
    for b in binaries:
        add_host_path(layer, b, skip=base)
    if canonical("/sbin/ip") != "/usr/sbin/ip":
        layer.symlink("/usr/sbin/ip", os.path.relpath(os.path.realpath("/sbin/ip"), "/usr/sbin"))
    for lib in sorted(shared_libraries(binaries)):
        add_host_path(layer, lib, skip=base)
    for path in dpkg_files("iproute2"):
        if path.startswith("/etc/iproute2/") and os.path.isfile(path):
            add_host_path(layer, path, skip=base)
    return layer


def binary_layer(dest, binary):
    layer = oci.Layer()
    layer.file(dest, binary, 0o755)
    layer.dir("/tmp", 0o1777)
    return layer


def upstream_images(b, coredns, kube_proxy):
    """The upstream stack's components (hack/cluster/upstream), each from its own Go build."""
    b.image(f"netplane.local/upstream/coredns:{go_version(coredns)}", "upstream/coredns.tar",
            [binary_layer("/coredns", coredns)], {"Entrypoint": ["/coredns"], "WorkingDir": "/"})
    nf = oci.Layer()
    merged_usr(nf)
    netfilter_layer(None, nf)
    b.image(f"netplane.local/upstream/kube-proxy:{go_version(kube_proxy)}", "upstream/kube-proxy.tar",
            [nf, binary_layer("/usr/local/bin/kube-proxy", kube_proxy)],
            {"Entrypoint": ["/usr/local/bin/kube-proxy"], "Env": [f"PATH={PATH}"], "WorkingDir": "/"})


def go_version(binary):
    """The version a cached Go build lives under (.../<name>/<version>/<binary> or .../<k8s>_<etcd>/bin/<binary>)."""
    parent = os.path.basename(os.path.dirname(binary))
    if parent == "bin":
        parent = os.path.basename(os.path.dirname(os.path.dirname(binary))).split("_")[0]
    return parent


# --- caching and assembly ----------------------------------------------------------------------------

def fingerprint(layer):
    h = hashlib.sha256(FORMAT.encode())
    for key in sorted(layer.entries):
        kind, payload, mode, uid, gid = layer.entries[key]
        if kind == "file":
            st = os.stat(payload)
            payload = f"{payload}:{st.st_size}:{st.st_mtime_ns}"
        elif kind == "data":
            payload = hashlib.sha256(payload).hexdigest()
        h.update(f"{key}\0{kind}\0{payload}\0{mode}\0{uid}\0{gid}\n".encode())
    return h.hexdigest()


class Builder:
    def __init__(self, out):
        self.out = out
        self.blobs = os.path.join(out, "layers")
        os.makedirs(self.blobs, exist_ok=True)
        self.built = []

    def blob(self, layer):
        """(blob path, digest, size, diff_id), compressing only when this exact layer is not cached."""
        fp = fingerprint(layer)
        blob, meta = os.path.join(self.blobs, fp + ".tar.gz"), os.path.join(self.blobs, fp + ".json")
        if os.path.exists(blob) and os.path.exists(meta):
            with open(meta) as f:
                m = json.load(f)
            return blob, m["digest"], m["size"], m["diff_id"]
        start = time.time()
        digest, size, diff_id = oci.compress_layer(layer, blob)
        with open(meta + ".tmp", "w") as f:
            json.dump({"digest": digest, "size": size, "diff_id": diff_id}, f)
        os.replace(meta + ".tmp", meta)
        log(f"layer {digest[7:19]} ({len(layer.entries)} entries, {size / 1e6:.1f} MB) in {time.time() - start:.1f}s")
        return blob, digest, size, diff_id

    def image(self, name, filename, layers, config):
        blobs = [self.blob(layer) for layer in layers]
        archive = os.path.join(self.out, filename)
        os.makedirs(os.path.dirname(archive), exist_ok=True)
        key = hashlib.sha256(json.dumps([FORMAT, name, [b[1] for b in blobs], config], sort_keys=True)
                             .encode()).hexdigest()
        stamp = archive + ".key"
        if os.path.exists(archive) and os.path.exists(stamp) and open(stamp).read() == key:
            log(f"{name}: cached")
        else:
            digest = oci.write_archive(archive, name, blobs, config)
            with open(stamp + ".tmp", "w") as f:
                f.write(key)
            os.replace(stamp + ".tmp", stamp)
            log(f"{name}: {archive} ({os.path.getsize(archive) / 1e6:.1f} MB, manifest {digest})")
        self.built.append((name, archive))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--pause")
    ap.add_argument("--agnhost")
    ap.add_argument("--agnhost-src")
    ap.add_argument("--getent", help="the static musl getent for agnhost")
    ap.add_argument("--only", default="", help="comma-separated subset: pause,busybox,agnhost,boom-server,jre,upstream")
    ap.add_argument("--coredns")
    ap.add_argument("--boom-server", help="regression-issue-74839, the Conntrack e2e test's server")
    ap.add_argument("--kube-proxy")
    args = ap.parse_args()
    only = set(filter(None, args.only.split(",")))
    if (not only or {"pause", "agnhost"} & only) and not (args.pause and args.agnhost and args.agnhost_src
                                                         and args.getent and args.coredns):
        ap.error("--pause, --agnhost, --agnhost-src, --getent and --coredns are needed for pause and agnhost")
    b = Builder(args.out)

    if not only or "pause" in only:
        b.image("registry.k8s.io/pause:3.10.2", "pause-3.10.2.tar", [pause_layer(args.pause)],
                {"Entrypoint": ["/pause"], "User": "65535:65535", "WorkingDir": "/"})
    if not only or {"busybox", "agnhost"} & only:
        bb = busybox_layer()
        if not only or "busybox" in only:
            b.image("registry.k8s.io/e2e-test-images/busybox:1.37.0-2", "busybox-1.37.0-2.tar", [bb],
                    {"Cmd": ["sh"], "Env": [f"PATH={PATH}"]})
        if not only or "agnhost" in only:
            b.image("registry.k8s.io/e2e-test-images/agnhost:2.66.1", "agnhost-2.66.1.tar",
                    [bb, agnhost_tools_layer(args.getent), agnhost_layer(args.agnhost, args.agnhost_src, args.coredns)],
                    {"Entrypoint": ["/agnhost"], "Cmd": ["pause"], "Env": [f"PATH={PATH}"],
                     "ExposedPorts": {f"{p}/tcp": {} for p in (80, 8080, 8081, 9376, 5000)}})
    if not only or "boom-server" in only:
        if not args.boom_server:
            ap.error("--boom-server is needed for the regression-issue-74839 image")
        b.image("registry.k8s.io/e2e-test-images/regression-issue-74839:1.5", "regression-issue-74839-1.5.tar",
                [binary_layer("/regression-issue-74839", args.boom_server)],
                {"Entrypoint": ["/regression-issue-74839"], "Env": [f"PATH={PATH}"]})
    if not only or "glibc-dns" in only:
        b.image("registry.k8s.io/e2e-test-images/glibc-dns-testing:2.1.1", "glibc-dns-testing-2.1.1.tar",
                [glibc_dns_layer()], {"Cmd": ["/bin/sh"], "Env": [f"PATH={PATH}"]})
    if not only or "distroless-iptables" in only:
        b.image("registry.k8s.io/build-image/distroless-iptables:v0.9.9", "distroless-iptables-v0.9.9.tar",
                [distroless_iptables_layer()], {"Cmd": ["/bin/sh"], "Env": [f"PATH={PATH}"]})
    if not only or "jre" in only:
        jre = jre_layer()
        version = dpkg_version(JVM_PACKAGE)
        env = [f"PATH={JAVA_HOME}/bin:{PATH}", f"JAVA_HOME={JAVA_HOME}", "LANG=C.UTF-8"]
        labels = {"io.netplane.base.jre": f"{JVM_PACKAGE}={version}"}
        b.image("netplane.local/base/jre:17", "jre-17.tar", [jre],
                {"Env": env, "User": "185", "WorkingDir": "/deployments", "Cmd": ["java", "-version"],
                 "Labels": labels})
        nf = netfilter_layer(jre)
        b.image("netplane.local/base/jre-netfilter:17", "jre-netfilter-17.tar", [jre, nf],
                {"Env": env, "User": "0", "WorkingDir": "/deployments", "Cmd": ["java", "-version"],
                 "Labels": dict(labels, **{"io.netplane.base.netfilter":
                                           ",".join(f"{p}={dpkg_version(p)}"
                                                    for p in ("nftables", "conntrack", "iproute2"))})})
    if "upstream" in only:
        if not (args.coredns and args.kube_proxy):
            ap.error("--coredns and --kube-proxy are needed for upstream")
        upstream_images(b, args.coredns, args.kube_proxy)
    for name, archive in b.built:
        print(name, archive)


if __name__ == "__main__":
    main()
