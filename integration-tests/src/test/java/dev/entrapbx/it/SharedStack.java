package dev.entrapbx.it;

import dev.entrapbx.harness.Database;
import dev.entrapbx.harness.EntraPbxStack;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit extension giving every IT class the same {@link EntraPbxStack}: the first class that
 * needs it boots the simulator and Keycloak, the root context closes them after the last class.
 * Use with {@code @ExtendWith(SharedStack.class)} and an {@code EntraPbxStack} parameter.
 */
public final class SharedStack implements BeforeAllCallback, ParameterResolver {

    /** Test server setting; see {@code EntraBrokerIT#signingKeyRotationAtMicrosoftDoesNotBreakSignIn}. */
    static final int JWKS_MIN_SECONDS_BETWEEN_FETCHES = 2;

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(SharedStack.class);

    /** Closed by JUnit when the root context ends (after all classes). */
    private record Holder(EntraPbxStack stack) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() {
            stack.close();
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        stack(context);
    }

    static EntraPbxStack stack(ExtensionContext context) {
        return context.getRoot().getStore(NS).getOrComputeIfAbsent("stack", k -> {
            Database db = Database.fromName(System.getProperty("entrapbx.db", "h2"),
                    System.getProperty("entrapbx.db.url"), System.getProperty("entrapbx.db.user"),
                    System.getProperty("entrapbx.db.password"));
            EntraPbxStack stack = EntraPbxStack.start(EntraPbxStack.config()
                    .name("it")
                    .ephemeralPorts()
                    .database(db)
                    .freshData(true)
                    // credential expiry check every 10 s instead of daily, so a test can see it
                    .keycloakOption("--spi-identity_provider--entra-id--credential-check-interval=10")
                    // Keycloak re-fetches an IdP's JWKS on an unknown kid at most this often (default 10 s)
                    .keycloakOption("--spi-public-key-storage--infinispan--min-time-between-requests=" + JWKS_MIN_SECONDS_BETWEEN_FETCHES)
                    // Graph retries: the same policy, with short waits (the simulator's Retry-After is capped at this)
                    .keycloakOption("--spi-storage--entra-users--graph-retry-base-millis=20")
                    .keycloakOption("--spi-storage--entra-users--graph-retry-max-millis=300")
                    // webhooks to the tests' receiver on 127.0.0.1 (refused without it: see WebhookIT)
                    .keycloakOption("--spi-pbx-webhooks--default--allow-private-targets=true")
                    // user-change subscriptions checked at Graph every 3 s instead of 5 min, so a lost one is seen (PresenceIT)
                    .keycloakOption("--spi-realm-restapi-extension--entra-notifications--subscription-check-seconds=3")
                    .keycloakOption("--spi-realm-restapi-extension--entra-notifications--push-retry-seconds=2")
                    // /metrics on the management port, its health gauges refreshed every 5 s instead of every minute (MetricsIT)
                    .keycloakOption("--metrics-enabled=true")
                    .keycloakOption("--spi-storage--entra-users--metrics-refresh-seconds=5"));
            System.out.printf("[entra-pbx IT] Keycloak %s on %s ready in %d ms (%s); simulator %s%n",
                    stack.settings().keycloakVersion(), stack.keycloak().baseUrl(), stack.keycloak().bootTime().toMillis(),
                    db, stack.simulator().baseUrl());
            return new Holder(stack);
        }, Holder.class).stack();
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        return p.getParameter().getType() == EntraPbxStack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        return stack(e);
    }
}
