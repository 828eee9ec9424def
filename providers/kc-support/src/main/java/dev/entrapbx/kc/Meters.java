package dev.entrapbx.kc;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * Every entra-pbx meter, named and tagged in one place. They go to Micrometer's global registry,
 * which Keycloak's Prometheus endpoint ({@code /metrics} on the management port, with
 * {@code --metrics-enabled=true}) reads; without metrics enabled they cost next to nothing. Tags
 * are low-cardinality on purpose: the realm's name, the Organization's alias (one per customer)
 * and fixed vocabularies; never a user, an object id or a tenant id.
 *
 * <p>Prometheus names: a counter {@code entrapbx.sync.runs} is {@code entrapbx_sync_runs_total},
 * a timer {@code entrapbx.sync.run.duration} is {@code entrapbx_sync_run_duration_seconds_*}.
 */
public final class Meters {

    /** The tag value where no Organization applies (or it cannot be resolved). */
    public static final String NONE = "none";

    private static volatile MeterRegistry registry = Metrics.globalRegistry;

    /** Gauges by their id, so one registered twice keeps reading the newest state. */
    private static final Map<String, GaugeState> GAUGES = new ConcurrentHashMap<>();

    private Meters() {
    }

    /** For unit tests: meters go to {@code r} instead of the global registry. */
    public static void useRegistry(MeterRegistry r) {
        registry = r;
        GAUGES.clear();
    }

    // ---- the user sync ----

    /** A finished sync run: by status, its duration, and its users by outcome. */
    public static void syncRun(String realm, String organization, String trigger, String status, Duration duration,
                               Map<String, Integer> usersByOutcome) {
        Tags where = Tags.of("realm", tag(realm), "organization", tag(organization));
        Counter.builder("entrapbx.sync.runs").description("Entra user sync runs by status")
                .tags(where).tag("trigger", tag(trigger)).tag("status", tag(status)).register(registry).increment();
        Timer.builder("entrapbx.sync.run.duration").description("Entra user sync run duration")
                .tags(where).tag("trigger", tag(trigger)).register(registry).record(duration);
        usersByOutcome.forEach((outcome, n) -> {
            if (n > 0) {
                Counter.builder("entrapbx.sync.users").description("Users written by Entra user syncs, by outcome")
                        .tags(where).tag("outcome", outcome).register(registry).increment(n);
            }
        });
    }

    // ---- Graph ----

    /** One HTTP request to Graph (a retry is another), by endpoint family and status class. */
    public static void graphRequest(String family, int status) {
        String outcome = status == 429 ? "throttled" : status >= 500 ? "5xx" : status >= 400 ? "4xx" : status > 0 ? "2xx" : "io-error";
        Counter.builder("entrapbx.graph.requests").description("HTTP requests to Microsoft Graph by endpoint family and outcome")
                .tag("family", family).tag("outcome", outcome).register(registry).increment();
        if (status == 429) {
            Counter.builder("entrapbx.graph.throttled").description("Graph answers 429 (throttled) by endpoint family")
                    .tag("family", family).register(registry).increment();
        }
    }

    /** A Graph request about to be sent again, by family and why (throttled, unavailable, io-error, untrusted, batch-throttled). */
    public static void graphRetry(String family, String reason) {
        Counter.builder("entrapbx.graph.retries").description("Graph requests sent again by the retry layer")
                .tag("family", family).tag("reason", reason).register(registry).increment();
    }

    // ---- sign-in and SSO ----

    /** A brokered Entra sign-in refused by entra-pbx's checks, by reason (a fixed vocabulary of the broker). */
    public static void brokerRefused(String realm, String organization, String reason) {
        Counter.builder("entrapbx.broker.refused").description("Entra sign-ins refused by the broker's checks, by reason")
                .tag("realm", tag(realm)).tag("organization", tag(organization)).tag("reason", tag(reason)).register(registry).increment();
    }

    /**
     * A customer admin's return from Microsoft's admin consent: {@code linked}, or why nothing was made
     * (onboarding's fixed reasons: consent_refused, personal_account, tenant_taken, ...). No tenant or
     * customer in the tags: a realm has as many as it has customers.
     */
    public static void onboardingReturn(String realm, String outcome) {
        Counter.builder("entrapbx.onboarding.returns").description("Customer onboarding: admin-consent returns by outcome")
                .tag("realm", tag(realm)).tag("outcome", tag(outcome)).register(registry).increment();
    }

    /** An email-first SSO decision at sign-in: where it sent the user (microsoft, password) and why (the decider's fixed reasons). */
    public static void ssoDecision(String realm, String signIn, String reason) {
        Counter.builder("entrapbx.sso.decisions").description("Email-first SSO decisions at sign-in, by where they sent the user and why")
                .tag("realm", tag(realm)).tag("sign_in", tag(signIn)).tag("reason", tag(reason)).register(registry).increment();
    }

    // ---- the PBX directory ----

    /** A webhook delivery attempt: delivered or failed, and for a delivered one the lag from the change's commit. */
    public static void webhookDelivery(String realm, String organization, boolean delivered, Duration lag) {
        Tags where = Tags.of("realm", tag(realm), "organization", tag(organization));
        Counter.builder("entrapbx.webhook.deliveries").description("PBX directory webhook delivery attempts by outcome")
                .tags(where).tag("outcome", delivered ? "delivered" : "failed").register(registry).increment();
        if (delivered && lag != null) {
            Timer.builder("entrapbx.webhook.lag").description("PBX directory change committed to webhook delivered")
                    .tags(where).register(registry).record(lag.isNegative() ? Duration.ZERO : lag);
        }
    }

    // ---- gauges: state that a periodic refresh sets ----

    /** Whose state a gauge shows: a realm's customer, and for credentials which kind of credential (else null). */
    public record Where(String realm, String organization, String kind) {
        Tags tags() {
            Tags t = Tags.of("realm", tag(realm), "organization", tag(organization));
            return kind == null ? t : t.and("kind", kind);
        }
    }

    /**
     * Sets a gauge's value; registered the first time. The gauges of one {@code name} that a refresh
     * no longer reports are removed with {@link #retainGauges}.
     */
    public static void gauge(String name, String description, Where where, double value) {
        GaugeState s = GAUGES.computeIfAbsent(name + where, k -> {
            GaugeState state = new GaugeState(name);
            state.gauge = Gauge.builder(name, state, (ToDoubleFunction<GaugeState>) g -> g.value).description(description)
                    .tags(where.tags()).register(registry);
            return state;
        });
        s.value = value;
    }

    /** Removes the gauges of {@code name} not in {@code keep} (a customer removed, a credential gone). */
    public static void retainGauges(String name, Set<Where> keep) {
        Set<String> kept = new java.util.HashSet<>();
        keep.forEach(w -> kept.add(name + w));
        GAUGES.entrySet().removeIf(e -> {
            if (!e.getValue().name.equals(name) || kept.contains(e.getKey())) {
                return false;
            }
            registry.remove(e.getValue().gauge);
            return true;
        });
    }

    private static String tag(String v) {
        return v == null || v.isBlank() ? NONE : v;
    }

    private static final class GaugeState {
        final String name;
        volatile double value;
        Gauge gauge;

        GaugeState(String name) {
            this.name = name;
        }
    }
}
