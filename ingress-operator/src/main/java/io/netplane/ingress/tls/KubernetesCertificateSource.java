package io.netplane.ingress.tls;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Reads a TLS Secret from the Kubernetes API ({@code data["tls.crt"]}, {@code data["tls.key"]}). The gateway
 * polls the Secrets its routes reference at the reload interval; key material never passes through Kafka.
 */
public final class KubernetesCertificateSource implements CertificateSource {
    private final Supplier<KubernetesClient> client;

    public KubernetesCertificateSource(Supplier<KubernetesClient> client) {
        this.client = client;
    }

    @Override
    public Optional<PemPair> load(SecretRef ref) {
        Secret secret = client.get().secrets().inNamespace(ref.namespace()).withName(ref.name()).get();
        if (secret == null) {
            return Optional.empty();
        }
        Map<String, String> data = secret.getData();
        if (data == null || data.get("tls.crt") == null || data.get("tls.key") == null) {
            return Optional.empty();
        }
        Base64.Decoder b64 = Base64.getDecoder();
        return Optional.of(new PemPair(ref, b64.decode(data.get("tls.crt")), b64.decode(data.get("tls.key"))));
    }
}
