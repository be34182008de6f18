package io.netplane.ipam.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.StatusCauseBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.netplane.ipam.authority.AddressAuthority;
import io.netplane.ipam.family.FieldError;
import io.netplane.ipam.kube.ServiceInputs;
import io.netplane.ipam.plan.ServicePlan;
import io.netplane.ipam.plan.ServiceRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * {@code POST /webhooks/services}: the mutating admission webhook on Service CREATE and UPDATE. Allowed requests get
 * a JSON patch filling {@code clusterIP(s)}, {@code ipFamilies}, {@code ipFamilyPolicy} and node ports; invalid ones
 * are denied with 422 and one cause per field error. Dry runs are admitted unchanged and allocate nothing.
 */
@Path("/webhooks/services")
public class ServiceAdmissionResource {
    private static final Logger LOG = Logger.getLogger(ServiceAdmissionResource.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    AddressAuthority authority;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public AdmissionReview review(AdmissionReview review) throws Exception {
        AdmissionRequest req = review.getRequest();
        AdmissionResponse resp = new AdmissionResponse();
        resp.setUid(req.getUid());
        resp.setAllowed(true);
        AdmissionReview out = new AdmissionReview();
        out.setApiVersion(review.getApiVersion() == null ? "admission.k8s.io/v1" : review.getApiVersion());
        out.setKind("AdmissionReview");
        out.setResponse(resp);
        if (!"Service".equals(req.getKind().getKind()) || Boolean.TRUE.equals(req.getDryRun())
                || !("CREATE".equals(req.getOperation()) || "UPDATE".equals(req.getOperation()))) {
            return out;
        }
        Service svc = JSON.convertValue(req.getObject(), Service.class);
        ServiceRequest in = ServiceInputs.request(svc);
        ServiceRequest old = "UPDATE".equals(req.getOperation()) && req.getOldObject() != null
                ? ServiceInputs.request(JSON.convertValue(req.getOldObject(), Service.class)) : null;
        String namespace = req.getNamespace();
        String name = svc.getMetadata().getName() != null ? svc.getMetadata().getName() : req.getName();
        ServicePlan plan = authority.admit(in, old, ServiceInputs.owner(namespace, name));
        if (!plan.ok()) {
            LOG.infof("denied Service %s/%s: %s", namespace, name, plan.errors());
            resp.setAllowed(false);
            resp.setStatus(denial(name, plan.errors()));
            return out;
        }
        List<Map<String, Object>> patch = ServicePatches.diff(in, plan.service());
        if (!patch.isEmpty()) {
            resp.setPatchType("JSONPatch");
            resp.setPatch(Base64.getEncoder().encodeToString(
                    JSON.writeValueAsString(patch).getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    static io.fabric8.kubernetes.api.model.Status denial(String name, List<FieldError> errors) {
        boolean internal = errors.stream().allMatch(e -> "InternalError".equals(e.type()));
        return new StatusBuilder()
                .withStatus("Failure")
                .withCode(internal ? 500 : 422)
                .withReason(internal ? "InternalError" : "Invalid")
                .withMessage("Service \"" + name + "\" is invalid: "
                        + errors.stream().map(FieldError::toString).collect(Collectors.joining(", ")))
                .withNewDetails().withKind("Service").withName(name)
                .withCauses(errors.stream().map(e -> new StatusCauseBuilder().withField(e.path())
                        .withReason("Field" + e.type()).withMessage(e.toString()).build()).toList())
                .endDetails()
                .build();
    }
}
