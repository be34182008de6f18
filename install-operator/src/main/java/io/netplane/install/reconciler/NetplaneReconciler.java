package io.netplane.install.reconciler;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.netplane.api.report.Problem;
import io.netplane.install.config.InstallConfig;
import io.netplane.install.crd.Netplane;
import io.netplane.install.crd.NetplaneStatus;
import io.netplane.install.model.Component;
import io.netplane.install.model.Facts;
import io.netplane.install.model.ConfigHash;
import io.netplane.install.model.InstallNames;
import io.netplane.install.model.InstallPlan;
import io.netplane.install.model.InstallPlanner;
import io.netplane.install.model.SpecValidator;
import io.netplane.install.model.StatusInput;
import io.netplane.install.model.StatusPlanner;
import io.netplane.install.model.Templates;
import io.netplane.install.model.Validation;
import io.netplane.install.model.WorkloadState;
import io.netplane.install.model.WorkloadStates;
import io.netplane.runtime.events.EventRecorder;
import io.netplane.runtime.events.Subject;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Reconciles the Netplane named {@code default}: read the facts, validate, plan once, run the workflow of dependents
 * (only for a valid spec: an invalid one changes nothing), restart the components when the cluster ConfigMap changed,
 * then write the status and report problems as Events. Deployments of the components re-reconcile it, as do the
 * dependents; while it is not Ready, or Degraded, it is looked at again every few seconds.
 */
@ControllerConfiguration(name = NetplaneReconciler.NAME)
@Workflow(explicitInvocation = true, dependents = {
        @Dependent(name = "config-map", type = ClusterConfigMapDependent.class),
        @Dependent(name = "node-proxy", type = NodeProxyDependent.class),
        @Dependent(name = "ingress-class", type = IngressClassDependent.class),
        @Dependent(name = "dns-service", type = DnsServiceDependent.class),
        @Dependent(name = "ipam-webhook", type = IpamWebhookDependent.class,
                activationCondition = IpamWebhookDependent.Planned.class),
        @Dependent(name = "kafka-topics", type = KafkaTopicsDependent.class,
                activationCondition = KafkaTopicsDependent.Planned.class)})
public class NetplaneReconciler implements Reconciler<Netplane> {
    public static final String NAME = "netplane";
    static final String RECONCILE_FAILED = "ReconcileFailed";
    private static final Logger LOG = Logger.getLogger(NetplaneReconciler.class);

    private final InstallConfig config;
    private final Templates templates = TemplateFiles.load();
    private final FactsReader facts;
    private final ComponentRestarter restarter = new ComponentRestarter();
    private final EventRecorder events;
    private final Clock clock = Clock.systemUTC();

    @Inject
    NetplaneReconciler(InstallConfig config, KubernetesClient client) {
        if (!config.namespace().equals(client.getNamespace())) {
            // the dependents' informers watch the client's namespace (JOSDK's "current namespace")
            throw new IllegalStateException("NETPLANE_INSTALL_NAMESPACE is " + config.namespace()
                    + " but the Kubernetes client's namespace is " + client.getNamespace() + ": they must be the same"
                    + " (in a Pod both are the Pod's namespace; elsewhere set KUBERNETES_NAMESPACE="
                    + config.namespace() + ")");
        }
        this.config = config;
        this.facts = new FactsReader(config);
        this.events = new EventRecorder(client, InstallNames.OPERATOR, config.podName().orElse(null), clock);
    }

    @Override
    public List<EventSource<?, Netplane>> prepareEventSources(EventSourceContext<Netplane> context) {
        String components = Component.deployments().stream().map(Component::workload)
                .collect(Collectors.joining(","));
        var deployments = InformerEventSourceConfiguration.from(Deployment.class, Netplane.class)
                .withName("component-deployments")
                .withNamespaces(Set.of(config.namespace()))
                .withLabelSelector(InstallNames.LABEL_PART_OF + "=" + InstallNames.PART_OF + ","
                        + InstallNames.LABEL_NAME + " in (" + components + ")")
                .withSecondaryToPrimaryMapper(d -> Set.of(new ResourceID(Netplane.NAME)))
                .build();
        return List.of(new InformerEventSource<>(deployments, context));
    }

    @Override
    public UpdateControl<Netplane> reconcile(Netplane netplane, Context<Netplane> context) {
        if (!Netplane.NAME.equals(netplane.getMetadata().getName())) {
            LOG.warnf("Netplane %s ignored: only the one named %s is reconciled", netplane.getMetadata().getName(),
                    Netplane.NAME);
            return UpdateControl.noUpdate();
        }
        NetplaneStatus previous = netplane.getStatus();
        Facts observed = facts.read(context.getClient());
        Validation validation = SpecValidator.validate(netplane.getSpec());
        Applied applied = validation.settings()
                .map(s -> apply(InstallPlanner.plan(s, templates, observed), previous, context))
                .orElseGet(() -> new Applied(previous == null ? null : previous.configHash(), List.of()));
        List<Problem> problems = new ArrayList<>(validation.problems());
        problems.addAll(applied.problems());
        events.report(Subject.of(netplane), problems);

        NetplaneStatus status = status(netplane, validation, applied, observed, context);
        UpdateControl<Netplane> control = status.equals(previous) ? UpdateControl.noUpdate()
                : UpdateControl.patchStatus(statusPatch(netplane, status));
        boolean settled = problems.isEmpty() && isTrue(status, StatusPlanner.READY);
        return settled ? control : control.rescheduleAfter(config.notReadyRequeue());
    }

    /** What applying a plan left: the config hash the components now run with, and the plan's problems. */
    private record Applied(String configHash, List<Problem> problems) {
    }

    /** Writes the plan's objects (the workflow), then restarts the components if their ConfigMap changed. */
    private Applied apply(InstallPlan plan, NetplaneStatus previous, Context<Netplane> context) {
        KubernetesClient client = context.getClient();
        Plans.put(context, plan);
        context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow()
                .throwAggregateExceptionIfErrorsPresent();
        removeStaleIngressClasses(client, context, plan);
        String recorded = previous == null ? null : previous.configHash();
        if (ConfigHash.restartNeeded(recorded, plan.configHash())) {
            restarter.restart(client, config.namespace(), recorded == null
                    ? "first install: they started before ConfigMap " + InstallNames.CONFIG_MAP + " existed"
                    : "ConfigMap " + InstallNames.CONFIG_MAP + " changed (" + recorded + " -> " + plan.configHash() + ")");
        }
        return new Applied(plan.configHash(), plan.problems());
    }

    private NetplaneStatus status(Netplane netplane, Validation validation, Applied applied, Facts observed,
            Context<Netplane> context) {
        long generation = netplane.getMetadata().getGeneration();
        NetplaneStatus previous = netplane.getStatus();
        return new NetplaneStatus(generation, applied.configHash(), StatusPlanner.conditions(new StatusInput(
                generation, config.namespace(), validation.problems(), applied.problems(), workloads(context),
                observed.strimziInstalled(), previous == null ? null : previous.conditions(), clock.instant())));
    }

    /** A reconcile that keeps failing shows on the Netplane as a Warning Event, not only in the log. */
    @Override
    public ErrorStatusUpdateControl<Netplane> updateErrorStatus(Netplane netplane, Context<Netplane> context,
            Exception e) {
        int attempt = context.getRetryInfo().map(RetryInfo::getAttemptCount).orElse(1);
        if (attempt >= config.warnAfterFailures()) {
            events.record(Subject.of(netplane), Problem.warning(RECONCILE_FAILED,
                    "reconciling Netplane " + netplane.getMetadata().getName() + " failed (attempt " + attempt + "): "
                            + e.getMessage()));
        }
        return ErrorStatusUpdateControl.noStatusUpdate();
    }

    /** The IngressClass of a previous {@code spec.ingress.className} is this operator's to remove. */
    private static void removeStaleIngressClasses(KubernetesClient client, Context<Netplane> context,
            InstallPlan plan) {
        String wanted = plan.ingressClass().getMetadata().getName();
        context.getSecondaryResources(IngressClass.class).stream()
                .filter(ic -> !wanted.equals(ic.getMetadata().getName()))
                .forEach(ic -> {
                    LOG.infof("IngressClass %s removed: the class is now %s", ic.getMetadata().getName(), wanted);
                    client.resource(ic).delete();
                });
    }

    private List<WorkloadState> workloads(Context<Netplane> context) {
        Map<String, Deployment> deployments = context.getSecondaryResources(Deployment.class).stream()
                .filter(d -> config.namespace().equals(d.getMetadata().getNamespace()))
                .collect(Collectors.toMap(d -> d.getMetadata().getName(), Function.identity(), (a, b) -> a));
        DaemonSet nodeProxy = context.getSecondaryResources(DaemonSet.class).stream()
                .filter(d -> InstallNames.NODE_PROXY.equals(d.getMetadata().getName())).findFirst().orElse(null);
        List<WorkloadState> out = new ArrayList<>();
        for (Component c : Component.values()) {
            out.add(c.kind() == Component.Kind.DaemonSet ? WorkloadStates.daemonSet(c, nodeProxy)
                    : WorkloadStates.deployment(c, deployments.get(c.workload())));
        }
        return out;
    }

    /** Only the status, on an object of its own: JOSDK applies it server-side as this controller's fields. */
    private static Netplane statusPatch(Netplane netplane, NetplaneStatus status) {
        Netplane patch = new Netplane();
        patch.setMetadata(new ObjectMetaBuilder().withName(netplane.getMetadata().getName()).build());
        patch.setStatus(status);
        return patch;
    }

    private static boolean isTrue(NetplaneStatus status, String type) {
        return status.conditions().stream().anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
