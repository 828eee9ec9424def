package dev.entrapbx.simulator.fault;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** Thread-safe set of active fault rules, consulted for every request. */
public final class FaultRegistry {
    private final List<FaultRule> rules = new CopyOnWriteArrayList<>();

    /** Adds a rule; returns it so the caller can keep its id. */
    public FaultRule add(FaultRule rule) {
        rules.add(rule);
        return rule;
    }

    public boolean remove(String id) {
        return rules.removeIf(r -> r.id().equals(id));
    }

    public void clear() {
        rules.clear();
    }

    public List<FaultRule> rules() {
        return List.copyOf(rules);
    }

    /** The first matching rule that still has firings left; the firing is consumed. */
    public Optional<FaultRule> take(String method, String path, String tenantId) {
        for (FaultRule rule : rules) {
            if (rule.matches(method, path, tenantId) && rule.tryFire()) {
                if (rule.exhausted()) {
                    rules.remove(rule);
                }
                return Optional.of(rule);
            }
        }
        return Optional.empty();
    }
}
