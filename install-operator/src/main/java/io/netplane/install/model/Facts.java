package io.netplane.install.model;

import java.util.Optional;

/**
 * What the shell observed besides the spec, at this reconcile.
 *
 * @param namespace where the operator runs and puts its namespaced objects
 * @param nodeProxyImage {@code RELATED_IMAGE_NODE_PROXY} when set (OLM's relatedImages), else the template's is used
 * @param underOlm OLM installed this operator ({@code OPERATOR_CONDITION_NAME} is set) and so owns the webhook
 * @param webhookCaBundle the base64 {@code ca.crt} of the Secret {@code ipam-service-tls}, empty when it is missing
 * @param strimziInstalled the CRD {@code kafkatopics.kafka.strimzi.io} exists
 */
public record Facts(
        String namespace,
        Optional<String> nodeProxyImage,
        boolean underOlm,
        Optional<String> webhookCaBundle,
        boolean strimziInstalled) {
}
