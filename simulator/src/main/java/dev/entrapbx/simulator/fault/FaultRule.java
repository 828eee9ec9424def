package dev.entrapbx.simulator.fault;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * One fault-injection rule: which requests it matches (method, path regex searched in the request path,
 * optional tenant) and how many times it fires (or until cleared).
 */
public final class FaultRule {
    /** Fires on every matching request until the rule is removed. */
    public static final int UNTIL_CLEARED = -1;

    private final String id = UUID.randomUUID().toString();
    private final String method;
    private final Pattern path;
    private final String tenantId;
    /** Lower-case user ids / UPNs: only requests to /v1.0/users/{one of them}/... (a mailbox) match. */
    private final java.util.Set<String> mailbox;
    private final FaultKind kind;
    private final int status;
    private final Integer retryAfterSeconds;
    private final Duration latency;
    private final int times;
    private final AtomicInteger remaining;
    private final AtomicInteger fired = new AtomicInteger();
    /** Share of matching requests that get the fault (1 = all); drawn from a seeded generator. */
    private final double probability;
    private final java.util.Random random;

    private FaultRule(Builder b, FaultKind kind, int status, Integer retryAfterSeconds, Duration latency) {
        this.method = b.method;
        this.path = b.path;
        this.tenantId = b.tenantId;
        this.mailbox = java.util.Set.copyOf(b.mailbox);
        this.kind = kind;
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
        this.latency = latency;
        this.times = b.times;
        this.remaining = new AtomicInteger(b.times);
        this.probability = b.probability;
        this.random = new java.util.Random(b.seed);
    }

    /** Starts a rule for requests with this method ("*" for any) whose path contains a match of {@code pathRegex}. */
    public static Builder on(String method, String pathRegex) {
        return new Builder(method, pathRegex);
    }

    public String id() { return id; }
    public String method() { return method; }
    public String pathRegex() { return path.pattern(); }
    public String tenantId() { return tenantId; }
    /** The user ids / user principal names of the mailbox this rule targets (empty: any request). */
    public java.util.Set<String> mailbox() { return mailbox; }
    public FaultKind kind() { return kind; }
    public int status() { return status; }
    public Integer retryAfterSeconds() { return retryAfterSeconds; }
    public Duration latency() { return latency; }
    public int times() { return times; }
    public int remaining() { return remaining.get(); }
    public int fired() { return fired.get(); }
    public double probability() { return probability; }

    boolean matches(String requestMethod, String requestPath, String requestTenant) {
        if (!"*".equals(method) && !method.equalsIgnoreCase(requestMethod)) {
            return false;
        }
        if (tenantId != null && !tenantId.equalsIgnoreCase(requestTenant)) {
            return false;
        }
        if (!mailbox.isEmpty() && !mailbox.contains(userSegment(requestPath))) {
            return false;
        }
        return path.matcher(requestPath).find();
    }

    /** The {id|upn} of /v1.0/users/{id|upn}/..., decoded and lower-case; "" for other paths. */
    static String userSegment(String requestPath) {
        String prefix = "/v1.0/users/";
        if (!requestPath.startsWith(prefix)) {
            return "";
        }
        int end = requestPath.indexOf('/', prefix.length());
        String key = requestPath.substring(prefix.length(), end < 0 ? requestPath.length() : end);
        return java.net.URLDecoder.decode(key, java.nio.charset.StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
    }

    /** Consumes one firing; false when the rule is used up (or the draw spares this request). */
    boolean tryFire() {
        if (probability < 1.0) {
            synchronized (random) {
                if (random.nextDouble() >= probability) {
                    return false;
                }
            }
        }
        if (times == UNTIL_CLEARED) {
            fired.incrementAndGet();
            return true;
        }
        int left;
        do {
            left = remaining.get();
            if (left <= 0) {
                return false;
            }
        } while (!remaining.compareAndSet(left, left - 1));
        fired.incrementAndGet();
        return true;
    }

    boolean exhausted() {
        return times != UNTIL_CLEARED && remaining.get() <= 0;
    }

    @Override
    public String toString() {
        return kind + " on " + method + " " + path.pattern() + (tenantId == null ? "" : " tenant " + tenantId)
                + (mailbox.isEmpty() ? "" : " mailbox " + mailbox)
                + (times == UNTIL_CLEARED ? " until cleared" : " x" + times)
                + (probability < 1.0 ? " p=" + probability : "");
    }

    /** Fluent construction; finish with the kind of fault. */
    public static final class Builder {
        private final String method;
        private final Pattern path;
        private String tenantId;
        private final java.util.Set<String> mailbox = new java.util.TreeSet<>();
        private int times = 1;
        private double probability = 1.0;
        private long seed = 42;

        private Builder(String method, String pathRegex) {
            this.method = method == null || method.isBlank() ? "*" : method.trim().toUpperCase(Locale.ROOT);
            this.path = Pattern.compile(Objects.requireNonNull(pathRegex, "pathRegex"));
        }

        /** Only requests for this tenant (its id in the URL path, or the tid of the bearer token). */
        public Builder tenant(String tenantId) {
            this.tenantId = tenantId;
            return this;
        }

        /**
         * Only requests to this mailbox: paths {@code /v1.0/users/{key}/...} where key is one of the given user
         * ids or user principal names (give both, as clients address mailboxes either way). Used for per-mailbox
         * throttling: Outlook limits requests per app per mailbox, so one mailbox answers 429 while others work.
         */
        public Builder mailbox(String... userIdsOrUpns) {
            for (String k : userIdsOrUpns) {
                if (k != null && !k.isBlank()) {
                    mailbox.add(k.trim().toLowerCase(Locale.ROOT));
                }
            }
            return this;
        }

        public Builder times(int times) {
            if (times < 1 && times != UNTIL_CLEARED) {
                throw new IllegalArgumentException("times must be >= 1 or UNTIL_CLEARED");
            }
            this.times = times;
            return this;
        }

        public Builder untilCleared() { return times(UNTIL_CLEARED); }

        /**
         * Only this share (0 < p <= 1) of matching requests get the fault, e.g. 0.2 for "20% of calls";
         * the draws come from a generator seeded with {@code seed}, so a run is reproducible.
         */
        public Builder probability(double p, long seed) {
            if (!(p > 0 && p <= 1)) {
                throw new IllegalArgumentException("probability must be in (0, 1]");
            }
            this.probability = p;
            this.seed = seed;
            return this;
        }

        public FaultRule throttle(int retryAfterSeconds) {
            return new FaultRule(this, FaultKind.THROTTLE, 429, retryAfterSeconds, null);
        }

        public FaultRule serviceUnavailable(Integer retryAfterSeconds) {
            return new FaultRule(this, FaultKind.SERVICE_UNAVAILABLE, 503, retryAfterSeconds, null);
        }

        public FaultRule gatewayTimeout(Integer retryAfterSeconds) {
            return new FaultRule(this, FaultKind.GATEWAY_TIMEOUT, 504, retryAfterSeconds, null);
        }

        public FaultRule status(int status, Integer retryAfterSeconds) {
            if (status < 400 || status > 599) {
                throw new IllegalArgumentException("fault status must be 4xx or 5xx");
            }
            return new FaultRule(this, FaultKind.STATUS, status, retryAfterSeconds, null);
        }

        public FaultRule latency(Duration delay) {
            return new FaultRule(this, FaultKind.LATENCY, 0, null, Objects.requireNonNull(delay));
        }

        public FaultRule malformedJson() { return new FaultRule(this, FaultKind.MALFORMED_JSON, 200, null, null); }

        public FaultRule truncatedPage() { return new FaultRule(this, FaultKind.TRUNCATED_PAGE, 200, null, null); }

        public FaultRule connectionClose() { return new FaultRule(this, FaultKind.CONNECTION_CLOSE, 200, null, null); }

        public FaultRule connectionReset() { return new FaultRule(this, FaultKind.CONNECTION_RESET, 0, null, null); }

        /** Builds a rule from a kind name, as the control API does. */
        public FaultRule kind(FaultKind kind, Integer status, Integer retryAfterSeconds, Duration latency) {
            return switch (kind) {
                case THROTTLE -> throttle(retryAfterSeconds == null ? 1 : retryAfterSeconds);
                case SERVICE_UNAVAILABLE -> serviceUnavailable(retryAfterSeconds);
                case GATEWAY_TIMEOUT -> gatewayTimeout(retryAfterSeconds);
                case STATUS -> status(status == null ? 500 : status, retryAfterSeconds);
                case LATENCY -> latency(latency == null ? Duration.ofSeconds(1) : latency);
                case MALFORMED_JSON -> malformedJson();
                case TRUNCATED_PAGE -> truncatedPage();
                case CONNECTION_CLOSE -> connectionClose();
                case CONNECTION_RESET -> connectionReset();
            };
        }
    }
}
