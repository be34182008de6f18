package io.netplane.policy.server;

import io.netplane.api.net.IpAddress;
import io.netplane.policy.compiler.PolicyCompiler;
import io.netplane.policy.model.DestinationPort;
import io.netplane.policy.model.Endpoint;
import io.netplane.policy.model.PodInfo;
import io.netplane.policy.model.PolicyEvaluator;
import io.netplane.policy.model.Protocol;
import io.netplane.policy.model.ReachabilityMatrix;
import io.netplane.policy.reconciler.PolicyState;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * {@code GET /explain?from=ns/pod&to=ns/pod&port=80&protocol=TCP} (either end may be an IP address: a Pod's address
 * is explained as that Pod, any other as an outside address; the port may be a name of the destination Pod's
 * container ports) and {@code GET /reachability?namespaces=x,y,z&ports=80,81&protocols=TCP,UDP}.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class ExplainResource {
    static final int MAX_MATRIX_PODS = 300;
    private final PolicyState state;

    public ExplainResource(PolicyState state) {
        this.state = state;
    }

    @GET
    @Path("explain")
    public ExplainResponse explain(@QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("port") String port, @QueryParam("protocol") String protocol) {
        Protocol proto = protocol(protocol);
        return state.read(c -> {
            Endpoint client = endpoint(c, "from", from);
            Endpoint server = endpoint(c, "to", to);
            DestinationPort p = DestinationPort.resolve(port, proto, server);
            if (p.problem() != null) {
                throw BadRequest.of(p.problem());
            }
            return ExplainResponse.of(client.describe(), server.describe(), p.port(), proto.name(),
                    PolicyEvaluator.evaluate(c, client, server, p.port(), proto));
        });
    }

    @GET
    @Path("reachability")
    public MatrixResponse reachability(@QueryParam("namespaces") String namespaces, @QueryParam("ports") String ports,
            @QueryParam("protocols") String protocols) {
        List<String> nss = list("namespaces", namespaces);
        List<Integer> ps = list("ports", ports).stream().map(ExplainResource::parsePort).toList();
        List<Protocol> protos = protocols == null || protocols.isBlank() ? List.of(Protocol.TCP)
                : list("protocols", protocols).stream().map(ExplainResource::protocol).toList();
        return state.read(c -> {
            List<PodInfo> pods = new ArrayList<>();
            for (String ns : nss) {
                if (c.namespace(ns) == null) {
                    throw BadRequest.notFound("namespace \"" + ns + "\" not found");
                }
                c.podsIn(ns).stream().filter(pod -> !pod.ips().isEmpty()).sorted(Comparator.comparing(PodInfo::key)).forEach(pods::add);
            }
            if (pods.size() > MAX_MATRIX_PODS) {
                throw BadRequest.of(pods.size() + " Pods in the matrix; at most " + MAX_MATRIX_PODS);
            }
            List<MatrixResponse.Matrix> out = new ArrayList<>();
            for (Protocol proto : protos) {
                for (int p : ps) {
                    ReachabilityMatrix m = ReachabilityMatrix.compute(c, pods, p, proto);
                    List<List<Boolean>> rows = Arrays.stream(m.allowed())
                            .map(r -> { List<Boolean> l = new ArrayList<>(); for (boolean b : r) { l.add(b); } return l; }).toList();
                    out.add(new MatrixResponse.Matrix(p, proto.name(), rows, m.render()));
                }
            }
            return new MatrixResponse(pods.stream().map(PodInfo::key).toList(), out);
        });
    }

    private static Endpoint endpoint(PolicyCompiler c, String param, String value) {
        if (value == null || value.isBlank()) {
            throw BadRequest.of("query parameter \"" + param + "\" is required: <namespace>/<pod> or an IP address");
        }
        if (!value.contains("/")) {
            if (!IpAddress.isValid(value)) {
                throw BadRequest.of(param + "=\"" + value + "\" is neither <namespace>/<pod> nor an IP address");
            }
            IpAddress ip = IpAddress.parse(value);
            PodInfo owner = c.podByIp(ip.toString());
            return owner != null ? new Endpoint(owner, ip) : Endpoint.external(ip);
        }
        PodInfo pod = c.pod(value);
        if (pod == null) {
            throw BadRequest.notFound("Pod \"" + value + "\" not found");
        }
        if (pod.ips().isEmpty()) {
            throw BadRequest.of("Pod \"" + value + "\" has no IP address yet");
        }
        return Endpoint.of(pod);
    }

    private static int port(Integer port) {
        if (port == null) {
            throw BadRequest.of("query parameter \"port\" is required");
        }
        if (port < 1 || port > 65535) {
            throw BadRequest.of("port " + port + " must be between 1 and 65535, inclusive");
        }
        return port;
    }

    private static int parsePort(String text) {
        try {
            return port(Integer.parseInt(text.trim()));
        } catch (NumberFormatException e) {
            throw BadRequest.of("port \"" + text + "\" is not a number");
        }
    }

    private static Protocol protocol(String text) {
        try {
            return Protocol.parse(text == null ? null : text.trim());
        } catch (IllegalArgumentException e) {
            throw BadRequest.of(e.getMessage());
        }
    }

    private static List<String> list(String param, String text) {
        if (text == null || text.isBlank()) {
            throw BadRequest.of("query parameter \"" + param + "\" is required (comma-separated)");
        }
        return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
