package io.netplane.policy.reconciler;

import io.netplane.policy.compiler.PolicyCompiler;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The one compiler instance of the service and the lock around it: the watcher writes through
 * {@link #update}, the explain API reads through {@link #read}.
 */
@ApplicationScoped
public class PolicyState {
    private final PolicyCompiler compiler = new PolicyCompiler();

    public synchronized void update(Consumer<PolicyCompiler> change) {
        change.accept(compiler);
    }

    public synchronized <R> R read(Function<PolicyCompiler, R> query) {
        return query.apply(compiler);
    }
}
