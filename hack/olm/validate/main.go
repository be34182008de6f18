// Command validate is Netplane's gate for OLM bundles: it runs operator-framework/api's validators on each
// bundle directory given (manifests/ and metadata/ inside) and exits non-zero when any of them reports an
// error, or when a manifest is of a kind that a bundle may not hold. Warnings are printed and do not fail
// unless -warnings-fail is set.
//
//	validate [-k8s-version 1.33] [-warnings-fail] BUNDLE_DIR...
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/operator-framework/api/pkg/manifests"
	"github.com/operator-framework/api/pkg/validation"
	"github.com/operator-framework/api/pkg/validation/errors"
	interfaces "github.com/operator-framework/api/pkg/validation/interfaces"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"
)

// bundleKinds are the kinds OLM installs from a bundle's manifests/ directory. Everything else (a DaemonSet,
// an IngressClass, a Namespace, a webhook configuration, a Deployment outside the CSV) is refused at install,
// so it is refused here first.
var bundleKinds = map[string]bool{
	"ClusterServiceVersion":    true,
	"CustomResourceDefinition": true,
	"ClusterRole":              true,
	"ClusterRoleBinding":       true,
	"Role":                     true,
	"RoleBinding":              true,
	"ServiceAccount":           true,
	"Service":                  true,
	"ConfigMap":                true,
	"Secret":                   true,
	"PodDisruptionBudget":      true,
	"PriorityClass":            true,
	"VerticalPodAutoscaler":    true,
	"NetworkPolicy":            true,
	"ServiceMonitor":           true,
	"PodMonitor":               true,
	"PrometheusRule":           true,
	"ConsoleYAMLSample":        true,
	"ConsoleQuickStart":        true,
	"ConsoleCLIDownload":       true,
	"ConsoleLink":              true,
}

// validators: the default bundle set (CSV, CRD, bundle) plus OperatorHub v2, good practices and the
// deprecated/removed API check (an error once the API is gone in -k8s-version, else a warning).
var validators = interfaces.Validators{
	validation.ClusterServiceVersionValidator,
	validation.CustomResourceDefinitionValidator,
	validation.BundleValidator,
	validation.OperatorHubV2Validator,
	validation.GoodPracticesValidator,
	validation.AlphaDeprecatedAPIsValidator,
	validation.ObjectValidator,
}

func main() {
	k8sVersion := flag.String("k8s-version", "", "Kubernetes version the removed-API check targets (default: the CSV's minKubeVersion)")
	warningsFail := flag.Bool("warnings-fail", false, "fail on warnings too")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: %s [flags] BUNDLE_DIR...\n", os.Args[0])
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	failed := false
	for _, dir := range flag.Args() {
		errs, warns := validate(dir, *k8sVersion)
		for _, w := range warns {
			fmt.Printf("WARN  %s: %s\n", dir, w)
		}
		for _, e := range errs {
			fmt.Printf("ERROR %s: %s\n", dir, e)
		}
		if len(errs) > 0 || (*warningsFail && len(warns) > 0) {
			failed = true
		} else {
			fmt.Printf("OK    %s (%d warnings)\n", dir, len(warns))
		}
	}
	if failed {
		os.Exit(1)
	}
}

// validate returns the errors and warnings for one bundle directory, sorted so that runs compare.
func validate(dir, k8sVersion string) (errs, warns []string) {
	errs = append(errs, checkKinds(filepath.Join(dir, "manifests"))...)
	if _, err := os.Stat(filepath.Join(dir, "metadata", "annotations.yaml")); err != nil {
		errs = append(errs, "metadata/annotations.yaml: "+err.Error())
	}
	bundle, err := manifests.GetBundleFromDir(dir)
	if err != nil {
		return append(errs, "loading the bundle: "+err.Error()), nil
	}
	if bundle.CSV == nil {
		return append(errs, "no ClusterServiceVersion in manifests/"), nil
	}
	objs := bundle.ObjectsToValidate()
	if k8sVersion != "" {
		objs = append(objs, map[string]string{"k8s-version": k8sVersion})
	}
	for _, result := range validators.Validate(objs...) {
		errs = append(errs, describe(result.Name, result.Errors)...)
		warns = append(warns, describe(result.Name, result.Warnings)...)
	}
	// validators overlap (OperatorHub v2 repeats the removed-API check): report each finding once
	return unique(errs), unique(warns)
}

func unique(list []string) []string {
	sort.Strings(list)
	out := list[:0]
	for i, s := range list {
		if i == 0 || s != list[i-1] {
			out = append(out, s)
		}
	}
	return out
}

func describe(name string, list []errors.Error) []string {
	var out []string
	for _, e := range list {
		if name != "" {
			out = append(out, name+": "+e.Error())
		} else {
			out = append(out, e.Error())
		}
	}
	return out
}

// checkKinds reads every YAML or JSON document under manifests/ and refuses kinds OLM does not install.
func checkKinds(manifestsDir string) (errs []string) {
	entries, err := os.ReadDir(manifestsDir)
	if err != nil {
		return []string{err.Error()}
	}
	for _, entry := range entries {
		if entry.IsDir() {
			errs = append(errs, fmt.Sprintf("manifests/%s: a bundle's manifests/ holds no directories", entry.Name()))
			continue
		}
		path := filepath.Join(manifestsDir, entry.Name())
		data, err := os.ReadFile(path)
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		reader := utilyaml.NewYAMLReader(bufioReader(data))
		for n := 0; ; n++ {
			doc, err := reader.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				errs = append(errs, fmt.Sprintf("manifests/%s: %v", entry.Name(), err))
				break
			}
			if len(bytes.TrimSpace(doc)) == 0 {
				continue
			}
			if n > 0 {
				errs = append(errs, fmt.Sprintf("manifests/%s: more than one object in a file", entry.Name()))
			}
			var head struct {
				APIVersion string `json:"apiVersion"`
				Kind       string `json:"kind"`
			}
			if err := yaml.Unmarshal(doc, &head); err != nil {
				errs = append(errs, fmt.Sprintf("manifests/%s: %v", entry.Name(), err))
				continue
			}
			if !bundleKinds[head.Kind] {
				errs = append(errs, fmt.Sprintf("manifests/%s: kind %q (%s) cannot be in a bundle; OLM installs only %s",
					entry.Name(), head.Kind, head.APIVersion, strings.Join(sortedKinds(), ", ")))
			}
		}
	}
	return errs
}

func sortedKinds() []string {
	kinds := make([]string, 0, len(bundleKinds))
	for k := range bundleKinds {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	return kinds
}

func bufioReader(data []byte) *bufio.Reader { return bufio.NewReader(bytes.NewReader(data)) }
