package dev.entrapbx.sync;

import dev.entrapbx.core.AppTokens;
import dev.entrapbx.graph.GraphException;
import dev.entrapbx.kc.Organizations;
import dev.entrapbx.sync.graph.GraphDirectory;
import jakarta.persistence.EntityManager;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;

/**
 * Target resolution, at the start of a run: the component's Organization, the Entra identity
 * provider its users are linked to, the Entra connection (Graph client, tenant), the tenant's
 * verified domains and the identity providers whose links let the sync adopt an existing user
 * ({@link Adoption}). Fields stay null (empty sets) until {@link #resolve} got to them.
 */
public final class SyncTarget {

    private final RealmJobs jobs;
    private final EntraSyncConfig config;
    private final EntraSync.Settings settings;
    private final AppTokens tokens;

    private String organizationId;
    private String organizationAlias;
    private String idpAlias;
    private String tenantId;
    private GraphDirectory graph;
    private Set<String> verifiedDomains = Set.of();
    private Set<String> adoptionProviders = Set.of();
    /** The users this run may adopt, by object id ({@link LocalUsers#adoptionCandidates}), read once, at the first slice that needs them. */
    private volatile Map<String, String> adoptionCandidates;

    SyncTarget(RealmJobs jobs, EntraSyncConfig config, EntraSync.Settings settings, AppTokens tokens) {
        this.jobs = jobs;
        this.config = config;
        this.settings = settings;
        this.tokens = tokens;
    }

    /** Resolves everything; what is missing but not fatal is noted in the run log. */
    void resolve(RunLog run) {
        jobs.run(s -> {
            RealmModel realm = jobs.realm(s);
            OrganizationModel org = organization(s, realm, config);
            organizationId = org.getId();
            organizationAlias = org.getAlias();
            Optional<IdentityProviderModel> idp = EntraConnection.linkedIdentityProvider(s, config, org);
            if (config.identityProviderAlias().isPresent() && idp.isEmpty()) {
                throw new IllegalArgumentException("Identity provider '" + config.identityProviderAlias().get() + "' does not exist.");
            }
            idpAlias = idp.map(IdentityProviderModel::getAlias).orElse(null);
            EntraConnection connection = EntraConnection.resolve(s, realm, config, idp, settings.allowAuthorityOverride());
            graph = connection.directory(tokens, settings.retryPolicy());
            tenantId = EntraConnection.facts(connection.graphToken(tokens)).tenantId();
            UserProfileDeclaration.ensure(s, config);
        });
        if (idpAlias == null) {
            run.note("No Entra identity provider is linked: users are imported but their first Microsoft sign-in will need matching.");
        }
        try {
            verifiedDomains = graph.verifiedDomains();
        } catch (GraphException e) {
            run.note("Verified domains could not be read (" + e.getMessage() + "): emails are imported as not verified.");
        }
        adoptionProviders = jobs.get(s -> {
            jobs.realm(s); // binds the session to the realm, which the identity-provider storage needs
            return Adoption.providersOfTenant(s.identityProviders().getAllStream().toList(), tenantId, verifiedDomains, idpAlias);
        });
    }

    /**
     * The component's organization, by alias or id.
     *
     * @throws IllegalArgumentException saying what to fix when organizations are off or it does not exist
     */
    public static OrganizationModel organization(KeycloakSession s, RealmModel realm, EntraSyncConfig config) {
        return Organizations.require(s, realm, config.organization()
                .orElseThrow(() -> new IllegalArgumentException("Organization is required.")));
    }

    String organizationId() {
        return organizationId;
    }

    /** The Organization's alias once resolved, else null. */
    String organizationAlias() {
        return organizationAlias;
    }

    /** The identity provider users are linked to at import; null when none is linked. */
    String idpAlias() {
        return idpAlias;
    }

    String tenantId() {
        return tenantId;
    }

    /** The Graph client; null when resolution failed before it was built. */
    GraphDirectory graph() {
        return graph;
    }

    Set<String> adoptionProviders() {
        return adoptionProviders;
    }

    Map<String, String> adoptionCandidates(EntityManager em, String realmId, String componentId) {
        Map<String, String> c = adoptionCandidates;
        if (c == null) {
            synchronized (this) {
                if (adoptionCandidates == null) {
                    adoptionCandidates = Map.copyOf(LocalUsers.adoptionCandidates(em, realmId, adoptionProviders, componentId));
                }
                c = adoptionCandidates;
            }
        }
        return c;
    }

    /** An email on one of the tenant's verified domains is imported as verified. */
    boolean emailVerified(String mail) {
        return NameRules.emailVerified(mail, verifiedDomains);
    }
}
