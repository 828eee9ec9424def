package dev.entrapbx.directory.webhook;

import dev.entrapbx.directory.ChangeFeed;
import dev.entrapbx.kc.ExtensionInfo;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.KeyStore;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.PostMigrationEvent;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.provider.ServerInfoAwareProviderFactory;
import org.keycloak.timer.TimerProvider;
import org.keycloak.truststore.TruststoreProvider;

/**
 * The webhook deliveries of this node: options from {@code --spi-pbx-webhooks--default--*}, the
 * {@link Dispatcher} started once the database is migrated (a timer on every node, plus the nudge
 * after feed commits), and the clean-up when a realm or an Organization is removed. TLS trust is
 * Keycloak's trust store ({@code --truststore-paths}), else the JVM's.
 */
public class DefaultWebhookServiceFactory implements WebhookServiceFactory, ServerInfoAwareProviderFactory {

    public static final String PROVIDER_ID = "default";
    static final String TIMER_TASK = "entra-pbx-webhooks";

    private static final Logger LOG = Logger.getLogger(DefaultWebhookServiceFactory.class);

    private WebhookOptions options = WebhookOptions.DEFAULTS;
    private TargetCheck targets = new TargetCheck(false, TargetCheck.DNS);
    private volatile Dispatcher dispatcher;

    @Override
    public WebhookService create(KeycloakSession session) {
        WebhookOptions o = options;
        TargetCheck t = targets;
        return new WebhookService() {
            @Override
            public TargetCheck targets() {
                return t;
            }

            @Override
            public WebhookOptions options() {
                return o;
            }
        };
    }

    @Override
    public void init(Config.Scope config) {
        options = WebhookOptions.from(config);
        targets = new TargetCheck(options.allowPrivateTargets(), TargetCheck.DNS);
        if (options.allowPrivateTargets()) {
            LOG.warnf("PBX webhooks: %s=true: webhooks may point at loopback and private addresses (development and tests only)",
                    WebhookOptions.ALLOW_PRIVATE_TARGETS_OPTION);
        }
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        factory.register(event -> {
            if (event instanceof PostMigrationEvent) {
                SSLContext tls = KeycloakModelUtils.runJobInTransactionWithResult(factory, DefaultWebhookServiceFactory::tls);
                Dispatcher d = new Dispatcher(factory, options, targets, new Sender(tls), Clock.systemUTC(), new Random(), node());
                dispatcher = d;
                KeycloakModelUtils.runJobInTransaction(factory, session -> session.getProvider(TimerProvider.class)
                        .schedule(d::nudge, WebhookOptions.POLL_MILLIS, TIMER_TASK)); // the round runs on the dispatcher's thread, not the timer's
                LOG.debugf("PBX webhooks: deliveries started on this node as %s", d.owner());
            } else if (event instanceof OrganizationModel.OrganizationRemovedEvent e) {
                String orgId = e.getOrganization().getId();
                ChangeFeed.run(e.getKeycloakSession(), db -> {
                    WebhookStore.deleteOrganization(db, orgId);
                    return null;
                });
            } else if (event instanceof RealmModel.RealmRemovedEvent e) {
                String realmId = e.getRealm().getId();
                ChangeFeed.run(e.getKeycloakSession(), db -> {
                    WebhookStore.deleteRealm(db, realmId);
                    return null;
                });
            }
        });
    }

    /** Keycloak's trust store as an SSL context; null: the JVM's default. */
    private static SSLContext tls(KeycloakSession session) {
        TruststoreProvider truststore = session.getProvider(TruststoreProvider.class);
        KeyStore store = truststore == null ? null : truststore.getTruststore();
        if (store == null) {
            return null;
        }
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException("PBX webhooks: Keycloak's trust store cannot be used: " + e.getMessage(), e);
        }
    }

    private static String node() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "node";
        }
    }

    @Override
    public void nudge() {
        Dispatcher d = dispatcher;
        if (d != null) {
            d.nudge();
        }
    }

    @Override
    public void close() {
        Dispatcher d = dispatcher;
        dispatcher = null;
        if (d != null) {
            d.stop();
        }
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return ProviderConfigurationBuilder.create()
                .property().name(WebhookOptions.ALLOW_PRIVATE_TARGETS).type("boolean").defaultValue(false)
                .helpText("Let webhooks point at loopback, private, link-local and unique-local addresses (development and tests only).").add()
                .property().name(WebhookOptions.WORKERS).type("int").defaultValue(WebhookOptions.DEFAULTS.workers())
                .helpText("Deliveries in flight at once on this node.").add()
                .property().name(WebhookOptions.RETRY_BASE_MILLIS).type("long").defaultValue(WebhookOptions.DEFAULTS.retryBaseMillis())
                .helpText("Upper bound of the first retry wait (exponential backoff with full jitter).").add()
                .property().name(WebhookOptions.RETRY_MAX_MILLIS).type("long").defaultValue(WebhookOptions.DEFAULTS.retryMaxMillis())
                .helpText("Cap of the retry wait.").add()
                .property().name(WebhookOptions.DISABLE_AFTER_FAILURES).type("int").defaultValue(WebhookOptions.DEFAULTS.disableAfterFailures())
                .helpText("Default run of consecutive failed deliveries after which a webhook is disabled (a webhook may set its own).").add()
                .build();
    }

    @Override
    public Map<String, String> getOperationalInfo() {
        Map<String, String> info = new LinkedHashMap<>(ExtensionInfo.operationalInfo());
        info.put("allowPrivateTargets", String.valueOf(options.allowPrivateTargets()));
        info.put("workers", String.valueOf(options.workers()));
        return info;
    }
}
