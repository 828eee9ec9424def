package dev.entrapbx.onboarding;

import jakarta.persistence.EntityManager;
import java.util.List;
import org.jboss.logging.Logger;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.cache.CacheRealmProvider;
import org.keycloak.models.jpa.entities.OrganizationEntity;
import org.keycloak.timer.ScheduledTask;

/**
 * Drops every Organization from Keycloak's realm cache once a minute (once per cluster: the
 * invalidation reaches every node), so that the requests which cached them can be collected.
 *
 * <p>Keycloak 26.7's cached Organization keeps a callback (its domain names' eviction) that holds
 * the organization provider of the request that cached it, and with it that request's session, its
 * realm cache view and its entity manager, for as long as the Organization stays cached. A partner
 * realm that adds customers without a restart keeps one finished request alive per customer, each
 * larger than the last: the scale benchmark measured 3.4 GB of heap after adding 1,000 customers
 * (and kc.sh's default 512 MB ran out at about 330), against 74 MB after a restart
 * (benchmarks/README.md, "A partner realm with 1,000 customers"). Invalidating the cached
 * Organizations lets those requests go; the next request that needs an Organization reads it again
 * (a few small queries, once per Organization and minute at most).
 */
final class OrganizationCacheRelease implements ScheduledTask {

    static final long INTERVAL_MILLIS = 60_000L;
    private static final Logger LOG = Logger.getLogger(OrganizationCacheRelease.class);

    @Override
    public void run(KeycloakSession session) {
        CacheRealmProvider cache = session.getProvider(CacheRealmProvider.class);
        if (cache == null) {
            return; // no realm cache: nothing holds a request
        }
        EntityManager em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        List<String> ids = em.createQuery("select o.id from " + OrganizationEntity.class.getSimpleName() + " o", String.class).getResultList();
        ids.forEach(cache::registerInvalidation);
        LOG.tracef("Released %d cached Organizations", ids.size());
    }

    @Override
    public String getTaskName() {
        return "entra-pbx-organization-cache-release";
    }
}
