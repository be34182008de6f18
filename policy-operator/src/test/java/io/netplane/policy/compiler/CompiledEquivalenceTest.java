package io.netplane.policy.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.api.events.IpSetView;
import io.netplane.policy.model.NetpolModel;
import io.netplane.policy.model.PodInfo;
import io.netplane.policy.model.Protocol;
import io.netplane.policy.model.Reachability;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every upstream e2e case again, but decided from the published PolicyView/IpSetView records only (addresses,
 * set membership, named ports carried by set members): the compiled form must give the same truth table.
 */
class CompiledEquivalenceTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.netplane.policy.model.NetpolE2eCasesTest#cases")
    void compiledViewsGiveTheSameTruthTable(String name, List<String> yamls, int port, Protocol protocol,
            UnaryOperator<Reachability> expect) {
        PolicyCompiler compiler = new PolicyCompiler();
        NetpolModel.namespaces().forEach(ns -> compiler.upsertNamespace(ns, "1"));
        List<PodInfo> pods = NetpolModel.pods();
        NetpolModel.policies(yamls.toArray(String[]::new)).forEach(compiler::upsertPolicy);
        pods.forEach(p -> compiler.upsertPod(p, "2"));
        CompileDelta d = compiler.flush(Instant.EPOCH);
        Map<String, IpSetView> sets = d.sets().stream().collect(Collectors.toMap(IpSetView::name, Function.identity()));
        CompiledDecision decision = new CompiledDecision(d.policies(), sets);

        List<String> keys = pods.stream().map(PodInfo::key).toList();
        boolean[][] actual = new boolean[pods.size()][pods.size()];
        for (int i = 0; i < pods.size(); i++) {
            for (int j = 0; j < pods.size(); j++) {
                actual[i][j] = decision.allowed(pods.get(i).ips().get(0), pods.get(j).ips().get(0), port, protocol.name());
            }
        }
        assertThat(Reachability.render(keys, actual)).as(name)
                .isEqualTo(Reachability.render(keys, expect.apply(new Reachability(keys)).table()));
    }
}
