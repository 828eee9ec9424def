package dev.entrapbx.sync;

import dev.entrapbx.core.AppTokens;
import dev.entrapbx.core.AuthorityOverrideGate;
import dev.entrapbx.core.EntraApp;
import dev.entrapbx.core.EntraCloud;
import dev.entrapbx.core.EntraIdpKeys;
import dev.entrapbx.graph.RetryPolicy;
import dev.entrapbx.kc.ExtensionInfo;
import dev.entrapbx.kc.ValidationMessages;
import dev.entrapbx.sync.jpa.SyncRunEntity;
import dev.entrapbx.sync.jpa.SyncStateEntity;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.keycloak.Config;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
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

    private static final List<ProviderConfigProperty> CONFIG_PROPERTIES = ProviderConfigurationBuilder.create()
            .property().name(EntraSyncConfig.ORGANIZATION).label("Organization")
            .helpText("Alias of the customer Organization (phone system) whose members the synced users become. "
                    + "Extensions are unique within it.")
            .type(ProviderConfigProperty.STRING_TYPE).required(true).add()
            .property().name(EntraSyncConfig.IDP_ALIAS).label("Entra identity provider")
            .helpText("Alias of the organization's Microsoft Entra ID identity provider. Synced users are linked to it, so their "
                    + "first Microsoft sign-in needs no matching. Empty: the organization's only Entra ID provider.")
            .type(ProviderConfigProperty.STRING_TYPE).add()
            .property().name(EntraSyncConfig.REUSE_IDP_CREDENTIALS).label("Use the identity provider's credentials")
            .helpText("On: cloud, tenant, client ID and credential (secret or certificate) come from the identity provider, so "
                    + "they are typed once. Off: fill in the connection fields below. The app needs the application permissions "
                    + "User.Read.All (and GroupMember.Read.All for group scope, Domain.Read.All for verified emails).")
            .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue("true").add()
            .property().name(EntraSyncConfig.TENANT).label("Tenant")
            .helpText("The customer's directory (tenant) ID or verified domain. Needed when the credentials are not the "
                    + "identity provider's, or when that provider is multi-tenant.")
            .type(ProviderConfigProperty.STRING_TYPE).add()
            .property().name(EntraSyncConfig.CLOUD).label("Cloud")
            .helpText("Microsoft cloud of the tenant (own credentials only). " + EntraCloud.optionHelp())
            .type(ProviderConfigProperty.LIST_TYPE).options(Arrays.stream(EntraCloud.values()).map(EntraCloud::id).toList())
            .defaultValue(EntraCloud.GLOBAL.id()).add()
            .property().name(EntraSyncConfig.CLIENT_ID).label("Client ID")
            .helpText("Application (client) ID of the app registration (own credentials only).")
            .type(ProviderConfigProperty.STRING_TYPE).add()
            .property().name(EntraSyncConfig.CLIENT_SECRET).label("Client secret")
            .helpText("The client secret's Value, or a vault reference such as ${vault.entra_sync_secret} (own credentials only).")
            .type(ProviderConfigProperty.PASSWORD).secret(true).add()
            .property().name(EntraIdpKeys.SECRET_EXPIRES_ON).label("Client secret expires on")
            .helpText("Expiry date of the client secret (YYYY-MM-DD), as shown under Certificates & secrets (own credentials "
                    + "only). Warnings (server log, admin event) start 30 days before.")
            .type(ProviderConfigProperty.STRING_TYPE).add()
            .property().name(EntraSyncConfig.AUTHORITY_HOST_OVERRIDE).label("Authority host override (simulator only)")
            .helpText("For the Entra simulator in development and tests only; refused unless the server allows it.")
            .type(ProviderConfigProperty.STRING_TYPE).add()
            .property().name(EntraSyncConfig.SCOPE).label("Scope")
            .helpText("Which users: 'all' members of the tenant, members of the 'groups' below (nested groups included), "
                    + "or users matching the OData 'filter' below.")
            .type(ProviderConfigProperty.LIST_TYPE).options("all", "groups", "filter").defaultValue("all").add()
            .property().name(EntraSyncConfig.GROUP_IDS).label("Groups (object IDs)")
            .helpText("Scope 'groups': the Object IDs of the Entra groups whose members (transitively) are synced.")
            .type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE).add()
            .property().name(EntraSyncConfig.FILTER).label("OData filter")
            .helpText("Scope 'filter': a Graph $filter on users, e.g. department eq 'Sales' or "
                    + "onPremisesExtensionAttributes/extensionAttribute1 ne null (sent as an advanced query).")
            .type(ProviderConfigProperty.STRING_TYPE).add()
            .property().name(EntraSyncConfig.INCLUDE_GUESTS).label("Include guests")
            .helpText("Also sync guest accounts (userType Guest). Off by default.")
            .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue("false").add()
            .property().name(EntraSyncConfig.INCLUDE_DISABLED).label("Include disabled accounts")
            .helpText("Also sync accounts disabled in Entra (imported disabled). Off: a disabled account is disabled here and "
                    + "deleted after the grace period.")
            .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue("false").add()
            .property().name(EntraSyncConfig.USERNAME_SOURCE).label("Username from")
            .helpText("Entra property used as the Keycloak username: userPrincipalName or mail.")
            .type(ProviderConfigProperty.LIST_TYPE).options("userPrincipalName", "mail").defaultValue("userPrincipalName").add()
            .property().name(EntraSyncConfig.EXTRA_MAPPINGS).label("Extra mappings")
            .helpText("Further 'entraProperty=keycloakAttribute' pairs, e.g. companyName=company or businessPhones[1]=phone2. "
                    + "Always mapped: names, email, jobTitle, department, businessPhones, mobilePhone, officeLocation, "
                    + "employeeId, extension attributes 1-15.")
            .type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE).add()
            .property().name(EntraSyncConfig.SYNC_PHOTOS).label("Sync photos")
            .helpText("Fetch the users' Entra profile photos (only those whose photo changed since the last sync) and serve them "
                    + "at /realms/{realm}/entra-photos/{userId}, the 'Entra profile photo' token mapper's picture claim.")
            .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue("true").add()
            .property().name(EntraSyncConfig.EXTENSION_MODE).label("Extension numbers")
            .helpText("'range': first free number of the range. 'attribute': digits of an Entra property (pattern below), "
                    + "the range when that number is taken or missing. 'none': no extensions.")
            .type(ProviderConfigProperty.LIST_TYPE).options("range", "attribute", "none").defaultValue("range").add()
            .property().name(EntraSyncConfig.EXTENSION_RANGE).label("Extension range")
            .helpText("First and last number, e.g. 1000-8999. Unique within the organization.")
            .type(ProviderConfigProperty.STRING_TYPE).defaultValue(EntraSyncConfig.DEFAULT_RANGE).add()
            .property().name(EntraSyncConfig.EXTENSION_SOURCE).label("Extension from property")
            .helpText("Mode 'attribute': " + String.join(", ", EntraUserMapper.EXTENSION_SOURCES) + ".")
            .type(ProviderConfigProperty.LIST_TYPE).options(EntraUserMapper.EXTENSION_SOURCES).add()
            .property().name(EntraSyncConfig.EXTENSION_PATTERN).label("Extension pattern")
            .helpText("Regular expression applied to the property's digits (everything else removed); its first group, or the "
                    + "whole match, is the extension. Default (\\d{4})$: the last four digits.")
            .type(ProviderConfigProperty.STRING_TYPE).defaultValue(EntraSyncConfig.DEFAULT_EXTENSION_PATTERN).add()
            .property().name(EntraSyncConfig.QUARANTINE_DAYS).label("Extension quarantine (days)")
            .helpText("A number freed by a deleted user is not given to anyone else for this many days (0: at once).")
            .type(ProviderConfigProperty.STRING_TYPE).defaultValue("90").add()
            .property().name(EntraSyncConfig.DELETE_GRACE_DAYS).label("Delete after (days)")
            .helpText("Users deleted or disabled in Entra (or out of scope) are disabled at once and deleted after this many "
                    + "days; 0 deletes at once, 'never' keeps them disabled.")
            .type(ProviderConfigProperty.STRING_TYPE).defaultValue("30").add()
            .property().name(EntraSyncConfig.GUARD_MAX_USERS).label("Guard: maximum users")
            .helpText("Accidental-delete guard: a run that would disable or delete more users than this does none of it and "
                    + "raises an admin event (0: no absolute limit).")
            .type(ProviderConfigProperty.STRING_TYPE).defaultValue("50").add()
            .property().name(EntraSyncConfig.GUARD_MAX_PERCENT).label("Guard: maximum percent")
            .helpText("Accidental-delete guard: the same, as a percentage of this sync's users, counted from 5 removals up "
                    + "(0: no percentage limit).")
            .type(ProviderConfigProperty.STRING_TYPE).defaultValue("10").add()
            .property().name(EntraSyncConfig.RUNS_KEPT).label("Runs kept")
            .helpText("How many runs the run log keeps (admin REST .../entra-sync/{id}/runs).")
            .type(ProviderConfigProperty.STRING_TYPE).defaultValue("50").add()
            .build();

    /** The server's one {@link AppTokens}, shared with the broker: one MSAL application and token cache per app. */
    private final AppTokens tokens = AppTokens.shared();
    private EntraSync.Settings settings = new EntraSync.Settings(false, RetryPolicy.defaults());

    @Override
    public void init(Config.Scope config) {
        RetryPolicy d = RetryPolicy.defaults();
        settings = new EntraSync.Settings(config.getBoolean(ALLOW_AUTHORITY_OVERRIDE, false),
                new RetryPolicy(config.getInt(RETRY_MAX, d.maxRetries()),
                        Duration.ofMillis(config.getLong(RETRY_BASE_MILLIS, d.baseDelay().toMillis())),
                        Duration.ofMillis(config.getLong(RETRY_MAX_MILLIS, d.maxDelay().toMillis())), d.readTimeout()));
    }

    public EntraSync.Settings settings() {
        return settings;
    }

    public AppTokens tokens() {
        return tokens;
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
        if (!config.reuseIdpCredentials()) {
            try {
                EntraApp.ownSettings(model).ifPresent(EntraApp::secretExpiresOn);
            } catch (java.time.format.DateTimeParseException e) {
                problems.add("Client secret expiry '" + model.get(EntraIdpKeys.SECRET_EXPIRES_ON)
                        + "' is not a date: use YYYY-MM-DD as shown in the app registration's Certificates & secrets page.");
            }
        }
        if (problems.isEmpty() && (org != null)) {
            try {
                EntraConnection.resolve(session, realm, config, idp, settings.allowAuthorityOverride());
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new ComponentValidationException(ValidationMessages.literal(String.join(" ", problems)));
        }
    }


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
        return new EntraSync(sessionFactory, realmId, model, settings, tokens, Clock.systemUTC()).run(EntraSync.Trigger.FULL);
    }

    @Override
    public SynchronizationResult syncSince(Date lastSync, KeycloakSessionFactory sessionFactory, String realmId,
                                           UserStorageProviderModel model) {
        return new EntraSync(sessionFactory, realmId, model, settings, tokens, Clock.systemUTC()).run(EntraSync.Trigger.CHANGED);
    }

    @Override
    public Map<String, String> getOperationalInfo() {
        return ExtensionInfo.operationalInfo();
    }
}
