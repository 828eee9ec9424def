package dev.entrapbx.sync;

import dev.entrapbx.core.AppTokens;
import dev.entrapbx.core.AuthorityOverrideGate;
import dev.entrapbx.core.EntraIdpKeys;
import dev.entrapbx.graph.RetryPolicy;
import dev.entrapbx.kc.Db;
import dev.entrapbx.sync.contacts.ContactStore;
import dev.entrapbx.sync.graph.GraphContacts;
import dev.entrapbx.graph.GraphException;
import dev.entrapbx.kc.ExtensionInfo;
import dev.entrapbx.kc.ValidationMessages;
import dev.entrapbx.sync.jpa.SyncRunEntity;
import dev.entrapbx.sync.jpa.SyncStateEntity;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.keycloak.Config;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.PostMigrationEvent;
import org.keycloak.timer.TimerProvider;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ServerInfoAwareProviderFactory;
import org.keycloak.storage.UserStorageProviderFactory;
import org.keycloak.storage.UserStorageProviderModel;
import org.keycloak.storage.user.ImportSynchronization;
import org.keycloak.storage.user.SynchronizationResult;

/**
 * User federation "Microsoft Entra ID users" ({@value #PROVIDER_ID}): imports a customer's Entra
 * users into its Organization with PBX extensions. Keycloak's sync buttons and periodic full /
 * changed schedules call {@link #sync} and {@link #syncSince}, once per cluster.
 */
public class EntraUserStorageProviderFactory implements UserStorageProviderFactory<EntraUserStorageProvider>,
        ImportSynchronization, ServerInfoAwareProviderFactory {

    public static final String PROVIDER_ID = EntraIdpKeys.USER_SYNC_PROVIDER_ID;

    /** Server options: --spi-storage--entra-users--<option>=<value>. */
    public static final String ALLOW_AUTHORITY_OVERRIDE = AuthorityOverrideGate.OPTION;
    public static final String RETRY_MAX = "graph-max-retries";
    public static final String RETRY_BASE_MILLIS = "graph-retry-base-millis";
    public static final String RETRY_MAX_MILLIS = "graph-retry-max-millis";
    /** How often every node refreshes the health gauges on /metrics ({@link HealthGauges}), in seconds (default 60). */
    public static final String METRICS_REFRESH_SECONDS = "metrics-refresh-seconds";
    /** Scheduled syncs running at once on one node ({@link SyncScheduler}; default 2; 0: Keycloak's timer runs them, unstaggered). */
    public static final String SCHEDULED_CONCURRENCY = "scheduled-sync-concurrency";

    /** Declared once, with the typed getters and the checks: {@link EntraSyncConfig#SETTINGS}. */
    private static final List<ProviderConfigProperty> CONFIG_PROPERTIES = EntraSyncConfig.PROPERTIES;

    /** The server's one {@link AppTokens}, shared with the broker: one MSAL application and token cache per app. */
    private final AppTokens tokens = AppTokens.shared();
    private EntraSync.Settings settings = new EntraSync.Settings(false, RetryPolicy.defaults());
    private final SyncLauncher launcher = new SyncLauncher();
    private long metricsRefreshMillis = 60_000L;
    private SyncScheduler scheduler;

    @Override
    public void init(Config.Scope config) {
        RetryPolicy d = RetryPolicy.defaults();
        settings = new EntraSync.Settings(config.getBoolean(ALLOW_AUTHORITY_OVERRIDE, false),
                new RetryPolicy(config.getInt(RETRY_MAX, d.maxRetries()),
                        Duration.ofMillis(config.getLong(RETRY_BASE_MILLIS, d.baseDelay().toMillis())),
                        Duration.ofMillis(config.getLong(RETRY_MAX_MILLIS, d.maxDelay().toMillis())), d.readTimeout()));
        metricsRefreshMillis = Math.max(5L, config.getLong(METRICS_REFRESH_SECONDS, 60L)) * 1000L;
        int concurrency = config.getInt(SCHEDULED_CONCURRENCY, 2);
        if (concurrency < 0 || concurrency > 64) {
            throw new IllegalArgumentException("--spi-storage--entra-users--" + SCHEDULED_CONCURRENCY + " must be between 0 and 64, not " + concurrency);
        }
        // 0: no scheduler of ours, Keycloak's timer runs each periodic sync itself (the benchmark's anchor)
        scheduler = concurrency == 0 ? null : new SyncScheduler(concurrency, Clock.systemUTC());
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        factory.register(event -> {
            if (event instanceof PostMigrationEvent) {
                // on every node (not cluster-aware): each node's /metrics shows the customers' health alike
                KeycloakModelUtils.runJobInTransaction(factory, session -> session.getProvider(TimerProvider.class).scheduleTask(
                        new HealthGauges(Clock.systemUTC()), Math.min(10_000L, metricsRefreshMillis), metricsRefreshMillis,
                        "entra-pbx-health-gauges"));
            }
        });
    }

    public EntraSync.Settings settings() {
        return settings;
    }

    public AppTokens tokens() {
        return tokens;
    }

    /** Starts a run in the background (admin REST's "sync now"), answering once it holds the sync ({@link RunLog#start}) and runs. */
    public SyncLauncher.Start startInBackground(KeycloakSessionFactory sessions, String realmId, UserStorageProviderModel model,
                                                EntraSync.Trigger trigger) {
        return launcher.start(sessions, realmId, model, trigger, settings, tokens, Duration.ofSeconds(10));
    }

    @Override
    public void close() {
        launcher.close();
        if (scheduler != null) {
            scheduler.close();
        }
    }

    /** The one authority-override check, with this server's setting for user syncs. */
    public AuthorityOverrideGate overrideGate() {
        return new AuthorityOverrideGate(settings.allowAuthorityOverride(), EntraConnection.OVERRIDE_OPTION);
    }

    @Override
    public EntraUserStorageProvider create(KeycloakSession session, ComponentModel model) {
        return new EntraUserStorageProvider(session, model);
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getHelpText() {
        return "Microsoft Entra ID users: imports a customer's Entra users into its Organization, with PBX extensions.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return CONFIG_PROPERTIES;
    }

    @Override
    public void validateConfiguration(KeycloakSession session, RealmModel realm, ComponentModel model) throws ComponentValidationException {
        EntraSyncConfig config = new EntraSyncConfig(model);
        List<String> problems = new ArrayList<>(config.problems());
        OrganizationModel org = null;
        if (config.organization().isPresent()) {
            try {
                org = SyncTarget.organization(session, realm, config);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        Optional<IdentityProviderModel> idp = EntraConnection.linkedIdentityProvider(session, config, org);
        if (config.identityProviderAlias().isPresent()) {
            if (idp.isEmpty()) {
                problems.add("Identity provider '" + config.identityProviderAlias().get() + "' does not exist in this realm.");
            } else if (!EntraIdpKeys.PROVIDER_ID.equals(idp.get().getProviderId())) {
                problems.add("Identity provider '" + idp.get().getAlias() + "' is not a Microsoft Entra ID provider ("
                        + idp.get().getProviderId() + ").");
            }
        } else if (org != null && idp.isEmpty() && config.reuseIdpCredentials()) {
            problems.add("Organization '" + org.getAlias() + "' has no single Microsoft Entra ID identity provider to take the "
                    + "credentials from: name it under 'Entra identity provider', or switch off 'Use the identity provider's "
                    + "credentials' and fill in tenant, client ID and secret.");
        }
        try {
            overrideGate().check(config.authorityHostOverride());
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        if (problems.isEmpty() && (org != null)) {
            try {
                EntraConnection connection = EntraConnection.resolve(session, realm, config, idp, settings.allowAuthorityOverride());
                ComponentModel before = model.getId() == null ? null : realm.getComponent(model.getId());
                List<String> known = before == null ? List.of() : new EntraSyncConfig(before).contactsSharedMailboxes();
                problems.addAll(sharedMailboxProblems(connection, config, known));
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new ComponentValidationException(ValidationMessages.literal(String.join(" ", problems)));
        }
    }


    /**
     * The shared mailboxes of the company phone book, each looked up in Graph: one Graph does not know,
     * or whose contacts the app may not read, is refused with what to fix. Only the mailboxes added
     * since the last save are asked (a save that changes another setting does not depend on Graph).
     */
    private List<String> sharedMailboxProblems(EntraConnection connection, EntraSyncConfig config, List<String> known) {
        List<String> mailboxes = config.contactsSharedMailboxes().stream().filter(m -> !known.contains(m)).toList();
        if (mailboxes.isEmpty()) {
            return List.of();
        }
        List<String> problems = new ArrayList<>();
        GraphContacts graph = new GraphContacts(connection.directory(tokens(), SAVE_CHECK_POLICY));
        for (String mailbox : mailboxes) {
            try {
                GraphContacts.Mailbox m = graph.mailbox(mailbox);
                graph.contactsDelta(m.id(), GraphContacts.DEFAULT_FOLDER, null, null); // the read the sync will make
            } catch (GraphException e) {
                if (e.status() == 404) {
                    problems.add("Shared mailbox '" + mailbox + "' is not a mailbox of this tenant (Graph: " + e.getMessage()
                            + "): check the address or use the mailbox's object id.");
                } else if (e.status() == 403) {
                    problems.add("The contacts of shared mailbox '" + mailbox + "' may not be read: grant the application permission "
                            + "Contacts.Read (and admin consent), and check any Exchange application access policy (Graph: " + e.getMessage() + ").");
                } else {
                    problems.add("Shared mailbox '" + mailbox + "' could not be checked against Graph, try saving again: " + e.getMessage());
                }
            }
        }
        return problems;
    }

    /** A save waits for Graph briefly: two retries, 15 s per answer. */
    private static final dev.entrapbx.graph.RetryPolicy SAVE_CHECK_POLICY = new dev.entrapbx.graph.RetryPolicy(2,
            java.time.Duration.ofMillis(200), java.time.Duration.ofSeconds(2), java.time.Duration.ofSeconds(15));

    @Override
    public void onCreate(KeycloakSession session, RealmModel realm, ComponentModel model) {
        UserProfileDeclaration.ensure(session, new EntraSyncConfig(model));
    }

    @Override
    public void preRemove(KeycloakSession session, RealmModel realm, ComponentModel model) {
        EntityManager em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        EntraSyncConfig config = new EntraSyncConfig(model);
        Map<String, SyncedUser> users = LocalUsers.synced(em, realm.getId(), model.getId());
        try {
            OrganizationModel org = SyncTarget.organization(session, realm, config);
            // Keycloak deletes the imported users with the component; their numbers go into quarantine
            for (List<String> oids : LocalUsers.chunks(users.keySet(), 1000)) {
                ExtensionAllocator.release(em, org.getId(), oids, config.quarantine(), System.currentTimeMillis());
            }
        } catch (IllegalArgumentException e) {
            // the organization is gone: its extensions went with it
        }
        em.createNamedQuery("EntraPbxUserPhoto.deleteByComponent").setParameter("component", model.getId()).executeUpdate();
        Db.run(session, "Contacts", db -> {
            ContactStore.deleteComponent(db, model.getId());
            return null;
        });
        SyncStateEntity state = em.find(SyncStateEntity.class, model.getId());
        if (state != null) {
            em.remove(state);
        }
        List<String> runs = em.createNamedQuery("EntraPbxSyncRun.byComponent", SyncRunEntity.class)
                .setParameter("component", model.getId()).getResultList().stream().map(SyncRunEntity::getId).toList();
        if (!runs.isEmpty()) {
            em.createNamedQuery("EntraPbxSyncError.deleteByRuns").setParameter("runs", runs).executeUpdate();
            em.createQuery("delete from SyncRunEntity r where r.componentId = :c").setParameter("c", model.getId()).executeUpdate();
        }
    }

    @Override
    public SynchronizationResult sync(KeycloakSessionFactory sessionFactory, String realmId, UserStorageProviderModel model) {
        return run(sessionFactory, realmId, model, EntraSync.Trigger.FULL, model.getFullSyncPeriod());
    }

    @Override
    public SynchronizationResult syncSince(Date lastSync, KeycloakSessionFactory sessionFactory, String realmId,
                                           UserStorageProviderModel model) {
        return run(sessionFactory, realmId, model, EntraSync.Trigger.CHANGED, model.getChangedSyncPeriod());
    }

    /** A run now (the console's buttons, change notifications), or, when Keycloak's schedule calls, handed to the {@link SyncScheduler}. */
    private SynchronizationResult run(KeycloakSessionFactory sessionFactory, String realmId, UserStorageProviderModel model,
                                      EntraSync.Trigger trigger, int periodSeconds) {
        Supplier<SynchronizationResult> now = () -> new EntraSync(sessionFactory, realmId, model, settings, tokens, Clock.systemUTC()).run(trigger);
        if (scheduler != null && SyncScheduler.calledByKeycloaksSchedule()) {
            return scheduler.submit(sessionFactory, model, trigger, periodSeconds, now);
        }
        return now.get();
    }

    @Override
    public Map<String, String> getOperationalInfo() {
        return ExtensionInfo.operationalInfo();
    }
}
