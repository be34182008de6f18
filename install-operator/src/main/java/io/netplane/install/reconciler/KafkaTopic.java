package io.netplane.install.reconciler;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.Map;

/**
 * Strimzi's KafkaTopic, typed only by its group, version and kind: spec and status stay maps, as in the template.
 * A class rather than a GenericKubernetesResource because JOSDK builds a dependent's informer even to deregister it,
 * and a generic informer looks the kind up in the API, which fails while Strimzi's CRD is not installed.
 */
@Group("kafka.strimzi.io")
@Version("v1beta2")
@Kind("KafkaTopic")
@Plural("kafkatopics")
public class KafkaTopic extends CustomResource<Map<String, Object>, Map<String, Object>> implements Namespaced {
}
