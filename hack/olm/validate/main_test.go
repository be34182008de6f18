package main

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/blang/semver/v4"
)

// The checked-in bundle passes; each way of breaking a copy of it is an error, so the gate cannot pass silently.

const bundleDir = "../../../bundle/netplane"

// bundles are the checked-in bundle directories, newest version first.
func bundles(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir(bundleDir)
	if err != nil || len(entries) == 0 {
		t.Fatalf("no bundles under %s: %v", bundleDir, err)
	}
	var versions []semver.Version
	for _, e := range entries {
		v, err := semver.Parse(e.Name())
		if err != nil {
			t.Fatalf("%s/%s is not named after a version: %v", bundleDir, e.Name(), err)
		}
		versions = append(versions, v)
	}
	sort.Sort(sort.Reverse(semver.Versions(versions)))
	dirs := make([]string, 0, len(versions))
	for _, v := range versions {
		dirs = append(dirs, filepath.Join(bundleDir, v.String()))
	}
	return dirs
}

func newest(t *testing.T) string {
	return bundles(t)[0]
}

// copyBundle copies the bundle directory into a temporary one.
func copyBundle(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.Walk(src, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if info.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func TestCheckedInBundlesPass(t *testing.T) {
	for _, dir := range bundles(t) {
		errs, warns := validate(dir, "1.37")
		if len(errs) > 0 {
			t.Errorf("%s: errors:\n%s", dir, strings.Join(errs, "\n"))
		}
		if len(warns) > 0 {
			t.Errorf("%s: warnings:\n%s", dir, strings.Join(warns, "\n"))
		}
	}
}

func TestBrokenBundlesFail(t *testing.T) {
	cases := []struct {
		name   string
		breaks func(t *testing.T, dir string)
		want   string
	}{
		{"a DaemonSet in manifests/", func(t *testing.T, dir string) {
			write(t, dir, "manifests/node-proxy_apps_v1_daemonset.yaml",
				"apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: node-proxy}\n")
		}, `kind "DaemonSet" (apps/v1) cannot be in a bundle`},
		{"a Namespace in manifests/", func(t *testing.T, dir string) {
			write(t, dir, "manifests/ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: netplane-system}\n")
		}, `kind "Namespace"`},
		{"two objects in one file", func(t *testing.T, dir string) {
			write(t, dir, "manifests/two.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n"+
				"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n")
		}, "more than one object in a file"},
		{"an owned CRD missing", func(t *testing.T, dir string) {
			remove(t, dir, "manifests/netplane.io_ipaddresspools.yaml")
		}, `owned CRD "netplane.io/v1alpha1, Kind=IPAddressPool" not found`},
		{"no install mode supported", func(t *testing.T, dir string) {
			replace(t, dir, "manifests/netplane.clusterserviceversion.yaml", "supported: true", "supported: false")
		}, "none of InstallModeTypes are supported"},
		{"a CSV without a version", func(t *testing.T, dir string) {
			replace(t, dir, "manifests/netplane.clusterserviceversion.yaml", "\n  version: 0.1.0\n", "\n")
		}, "csv.Spec.Version must be set"},
		{"no metadata/annotations.yaml", func(t *testing.T, dir string) {
			remove(t, dir, "metadata/annotations.yaml")
		}, "annotations.yaml"},
		{"an API removed in 1.25", func(t *testing.T, dir string) {
			replace(t, dir, "manifests/dns-service_policy_v1_poddisruptionbudget.yaml", "apiVersion: policy/v1", "apiVersion: policy/v1beta1")
		}, "removed in v1.25. More info: https://kubernetes.io/docs/reference/using-api/deprecation-guide/#v1-25. Migrate the API(s) for PodDisruptionBudget"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := copyBundle(t, newest(t))
			c.breaks(t, dir)
			errs, _ := validate(dir, "1.37")
			if !strings.Contains(strings.Join(errs, "\n"), c.want) {
				t.Fatalf("want an error mentioning %q, got errors:\n%s", c.want, strings.Join(errs, "\n"))
			}
		})
	}
}

func write(t *testing.T, dir, file, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, file), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func remove(t *testing.T, dir, file string) {
	t.Helper()
	if err := os.Remove(filepath.Join(dir, file)); err != nil {
		t.Fatal(err)
	}
}

func replace(t *testing.T, dir, file, old, new string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, file))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), old) {
		t.Fatalf("%s has no %q", file, old)
	}
	write(t, dir, file, strings.Replace(string(data), old, new, 1))
}
