"""Minimal, reproducible OCI image archives (Python 3 standard library only).

An archive is the OCI image layout in a tar (oci-layout, index.json, blobs/sha256/...) plus Docker's
manifest.json for the same blobs, so that both `ctr images import` and Jib's `tar://` base images read it.
Reproducible: entries sorted, owner root, fixed mtime, gzip without name or time.
"""
import gzip
import hashlib
import io
import json
import os
import stat
import tarfile

MTIME = 0  # every file in every layer; the image's "created" is the epoch too
CHUNK = 1 << 20


class Layer:
    """A filesystem layer: absolute container paths mapped to entries."""

    def __init__(self):
        self.entries = {}  # path without leading slash -> (kind, payload, mode, uid, gid)

    @staticmethod
    def _key(path):
        key = os.path.normpath(path).lstrip("/")
        if not key or key.startswith(".."):
            raise ValueError(f"bad container path {path!r}")
        return key

    def _parents(self, key):
        parent = os.path.dirname(key)
        while parent and parent not in self.entries:
            self.entries[parent] = ("dir", None, 0o755, 0, 0)
            parent = os.path.dirname(parent)

    def dir(self, path, mode=0o755, uid=0, gid=0):
        key = self._key(path)
        self._parents(key)
        self.entries[key] = ("dir", None, mode, uid, gid)

    def file(self, path, src, mode=None):
        """A regular file copied from the host path src (mode defaults to the source's)."""
        key = self._key(path)
        self._parents(key)
        if mode is None:
            mode = stat.S_IMODE(os.stat(src).st_mode) & 0o7755
        self.entries[key] = ("file", src, mode, 0, 0)

    def data(self, path, content, mode=0o644):
        key = self._key(path)
        self._parents(key)
        self.entries[key] = ("data", content.encode() if isinstance(content, str) else content, mode, 0, 0)

    def symlink(self, path, target):
        key = self._key(path)
        self._parents(key)
        self.entries[key] = ("symlink", target, 0o777, 0, 0)

    def __contains__(self, path):
        return self._key(path) in self.entries

    def write_tar(self, out):
        """Writes the uncompressed layer tar to the binary stream out."""
        with tarfile.open(fileobj=out, mode="w|", format=tarfile.PAX_FORMAT) as tar:
            for key in sorted(self.entries):
                kind, payload, mode, uid, gid = self.entries[key]
                info = tarfile.TarInfo(key)
                info.mtime, info.mode, info.uid, info.gid = MTIME, mode, uid, gid
                info.uname = info.gname = ""
                if kind == "dir":
                    info.type = tarfile.DIRTYPE
                    tar.addfile(info)
                elif kind == "symlink":
                    info.type, info.linkname = tarfile.SYMTYPE, payload
                    tar.addfile(info)
                elif kind == "data":
                    info.size = len(payload)
                    tar.addfile(info, io.BytesIO(payload))
                else:
                    info.size = os.path.getsize(payload)
                    with open(payload, "rb") as f:
                        tar.addfile(info, f)


class _Hashing:
    """A write-only stream that hashes (and counts) what passes through it to an optional sink."""

    def __init__(self, sink=None):
        self.sha, self.size, self.sink = hashlib.sha256(), 0, sink

    def write(self, b):
        self.sha.update(b)
        self.size += len(b)
        if self.sink is not None:
            self.sink.write(b)
        return len(b)

    def flush(self):
        pass


def compress_layer(layer, blob_path, level=6):
    """Writes layer as a gzip blob; returns (digest, size, diff_id)."""
    tmp = blob_path + ".tmp"
    with open(tmp, "wb") as f:
        compressed = _Hashing(f)
        with gzip.GzipFile(filename="", mode="wb", fileobj=compressed, mtime=0, compresslevel=level) as gz:
            uncompressed = _Hashing(gz)
            layer.write_tar(uncompressed)
    os.replace(tmp, blob_path)
    return "sha256:" + compressed.sha.hexdigest(), compressed.size, "sha256:" + uncompressed.sha.hexdigest()


def _json(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()


def write_archive(path, name, layers, config):
    """Writes the image archive.

    name: full reference (e.g. registry.k8s.io/pause:3.10.2); layers: list of (blob path, digest, size,
    diff_id) from compress_layer; config: the image's "config" object (Entrypoint, Cmd, Env, User, ...).
    """
    image_config = {
        "architecture": "amd64",
        "os": "linux",
        "created": "1970-01-01T00:00:00Z",
        "config": config,
        "rootfs": {"type": "layers", "diff_ids": [diff_id for _, _, _, diff_id in layers]},
        "history": [{"created": "1970-01-01T00:00:00Z", "created_by": "hack/images/build.sh"} for _ in layers],
    }
    config_blob = _json(image_config)
    config_digest = "sha256:" + hashlib.sha256(config_blob).hexdigest()
    manifest = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config_digest,
                   "size": len(config_blob)},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": digest, "size": size}
                   for _, digest, size, _ in layers],
    }
    manifest_blob = _json(manifest)
    manifest_digest = "sha256:" + hashlib.sha256(manifest_blob).hexdigest()
    tag = name.rsplit(":", 1)[1]
    index = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [{
            "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": manifest_digest,
            "size": len(manifest_blob),
            "platform": {"architecture": "amd64", "os": "linux"},
            "annotations": {"io.containerd.image.name": name, "org.opencontainers.image.ref.name": tag},
        }],
    }

    def blob_name(digest):
        return "blobs/sha256/" + digest.split(":", 1)[1]

    docker_manifest = [{"Config": blob_name(config_digest), "RepoTags": [name],
                        "Layers": [blob_name(digest) for _, digest, _, _ in layers]}]

    members = {"oci-layout": _json({"imageLayoutVersion": "1.0.0"}), "index.json": _json(index),
               "manifest.json": _json(docker_manifest), blob_name(config_digest): config_blob,
               blob_name(manifest_digest): manifest_blob}
    files = {blob_name(digest): blob for blob, digest, _, _ in layers}

    tmp = path + ".tmp"
    with tarfile.open(tmp, "w", format=tarfile.PAX_FORMAT) as tar:
        # the small metadata first (readers such as import.sh find index.json without reading the layers)
        for member in ("oci-layout", "index.json", "manifest.json"):
            info = tarfile.TarInfo(member)
            info.mode, info.mtime, info.size = 0o644, MTIME, len(members[member])
            tar.addfile(info, io.BytesIO(members.pop(member)))
        for d in ("blobs", "blobs/sha256"):
            info = tarfile.TarInfo(d)
            info.type, info.mode, info.mtime = tarfile.DIRTYPE, 0o755, MTIME
            tar.addfile(info)
        for member in sorted(set(members) | set(files)):
            info = tarfile.TarInfo(member)
            info.mode, info.mtime = 0o644, MTIME
            if member in members:
                info.size = len(members[member])
                tar.addfile(info, io.BytesIO(members[member]))
            else:
                info.size = os.path.getsize(files[member])
                with open(files[member], "rb") as f:
                    tar.addfile(info, f)
    os.replace(tmp, path)
    return manifest_digest
