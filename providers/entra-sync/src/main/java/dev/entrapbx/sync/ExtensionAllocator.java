package dev.entrapbx.sync;

import dev.entrapbx.sync.jpa.ExtensionEntity;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.ModelDuplicateException;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * Gives Entra users PBX extensions, unique within one Organization. Uniqueness is the
 * database's: each batch is inserted and flushed in its own transaction, and when a concurrent
 * sync (another component, another node) took a number first, the unique constraint refuses the
 * batch, it rolls back and is allocated again from a fresh view. An Entra user keeps the number it
 * holds (renames, email changes, re-enabling); a released number stays in quarantine.
 */
public final class ExtensionAllocator {

    private static final Logger LOG = Logger.getLogger(ExtensionAllocator.class);
    static final int MAX_ATTEMPTS = 25;
    private static final int SCAN_CHUNK = 2000;

    /**
     * Someone who needs an extension, the number their Entra attribute suggests (may be null), and
     * the Keycloak user id the sync will give them if they are new (a number given now is recorded
     * as held by it, so a new user needs no second write; may be null).
     */
    public record Request(String oid, String candidate, String newUserId) {
    }

    /**
     * What a user got: the number (empty = range exhausted), whether it came from the range after a
     * conflict, and whether it was given now (recorded as held by the request's new user id).
     */
    public record Result(Optional<String> extension, boolean candidateConflict, boolean givenNow) {
    }

    private final KeycloakSessionFactory factory;
    private final String realmId;
    private final String organizationId;
    private final String tenantId;
    private final EntraSyncConfig.Range range;
    private final Duration quarantine;
    private final Clock clock;
    /** Lowest number that may still be free, as far as this allocator has seen (a scan hint for one run). */
    private long hint;
    /** Numbers whose quarantine ended are freed once per run (the first allocation). */
    private boolean purged;

    public ExtensionAllocator(KeycloakSessionFactory factory, String realmId, String organizationId, String tenantId,
                              EntraSyncConfig.Range range, Duration quarantine, Clock clock) {
        this.factory = factory;
        this.realmId = realmId;
        this.organizationId = organizationId;
        this.tenantId = tenantId;
        this.range = range;
        this.quarantine = quarantine;
        this.clock = clock;
        this.hint = range.from();
    }

    /** Allocates (or returns the held number of) every requested Entra user, in one transaction per attempt. */
    public Map<String, Result> allocate(Collection<Request> requests) {
        if (requests.isEmpty()) {
            return Map.of();
        }
        for (int attempt = 1; ; attempt++) {
            long hintBefore = hint;
            try {
                return KeycloakModelUtils.runJobInTransactionWithResult(factory, s ->
                        allocateOnce(s.getProvider(JpaConnectionProvider.class).getEntityManager(), requests));
            } catch (RuntimeException e) {
                hint = hintBefore;
                if (!isUniqueViolation(e) || attempt >= MAX_ATTEMPTS) {
                    throw e;
                }
                LOG.debugf("extension allocation in organization %s collided with a concurrent one (attempt %d); retrying",
                        organizationId, attempt);
                sleepQuietly(ThreadLocalRandom.current().nextLong(5, 20L * attempt));
            }
        }
    }

    private Map<String, Result> allocateOnce(EntityManager em, Collection<Request> requests) {
        long now = clock.millis();
        if (!purged) {
            em.createNamedQuery("EntraPbxExtension.purgeQuarantine")
                    .setParameter("org", organizationId)
                    .setParameter("before", now - quarantine.toMillis())
                    .executeUpdate();
        }

        Map<String, Request> byOid = new LinkedHashMap<>();
        requests.forEach(r -> byOid.put(r.oid(), r));
        Map<String, Result> out = new HashMap<>();

        // 1. numbers the users already hold (also in quarantine: the same person gets it back)
        for (ExtensionEntity e : em.createNamedQuery("EntraPbxExtension.byOids", ExtensionEntity.class)
                .setParameter("org", organizationId).setParameter("oids", byOid.keySet()).getResultList()) {
            if (ExtensionEntity.QUARANTINED.equals(e.getStatus())) {
                e.setStatus(ExtensionEntity.ACTIVE);
                e.setReleasedAt(null);
            }
            out.put(e.getEntraOid(), new Result(Optional.of(e.getExtension()), false, false));
        }

        // 2. numbers suggested by an Entra attribute, when nobody holds them
        List<Request> pending = new ArrayList<>();
        Set<String> candidates = new HashSet<>();
        for (Request r : byOid.values()) {
            if (!out.containsKey(r.oid())) {
                pending.add(r);
                if (r.candidate() != null) {
                    candidates.add(r.candidate());
                }
            }
        }
        Set<String> taken = new HashSet<>();
        if (!candidates.isEmpty()) {
            taken.addAll(em.createNamedQuery("EntraPbxExtension.byNumbers", String.class)
                    .setParameter("org", organizationId).setParameter("numbers", candidates).getResultList());
        }
        List<Request> needRange = new ArrayList<>();
        Set<Long> chosenValues = new HashSet<>();
        Map<String, Boolean> conflict = new HashMap<>();
        for (Request r : pending) {
            if (r.candidate() != null && taken.add(r.candidate())) {
                persist(em, r, r.candidate(), now);
                chosenValues.add(Long.parseLong(r.candidate()));
                out.put(r.oid(), new Result(Optional.of(r.candidate()), false, true));
            } else {
                conflict.put(r.oid(), r.candidate() != null);
                needRange.add(r);
            }
        }

        // 3. first free numbers of the range
        if (!needRange.isEmpty()) {
            List<Long> free = freeNumbers(em, needRange.size(), chosenValues);
            for (int i = 0; i < needRange.size(); i++) {
                Request r = needRange.get(i);
                if (i < free.size()) {
                    String number = String.valueOf(free.get(i));
                    persist(em, r, number, now);
                    out.put(r.oid(), new Result(Optional.of(number), conflict.get(r.oid()), true));
                } else {
                    out.put(r.oid(), new Result(Optional.empty(), conflict.get(r.oid()), false));
                }
            }
        }
        em.flush(); // the unique constraints speak here, inside the transaction
        purged = true;
        return out;
    }

    private List<Long> freeNumbers(EntityManager em, int wanted, Set<Long> alsoTaken) {
        List<Long> free = new ArrayList<>(wanted);
        long next = Math.max(hint, range.from());
        while (free.size() < wanted && next <= range.to()) {
            long chunkEnd = Math.min(range.to(), next + SCAN_CHUNK - 1);
            Set<Long> used = new HashSet<>(em.createNamedQuery("EntraPbxExtension.usedInRange", Long.class)
                    .setParameter("org", organizationId).setParameter("from", next).setParameter("to", chunkEnd)
                    .getResultList());
            for (long n = next; n <= chunkEnd && free.size() < wanted; n++) {
                if (!used.contains(n) && !alsoTaken.contains(n)) {
                    free.add(n);
                }
            }
            next = free.size() < wanted ? chunkEnd + 1 : free.get(free.size() - 1) + 1;
        }
        hint = next;
        return free;
    }

    private void persist(EntityManager em, Request r, String number, long now) {
        String oid = r.oid();
        ExtensionEntity e = new ExtensionEntity();
        e.setId(KeycloakModelUtils.generateId());
        e.setRealmId(realmId);
        e.setOrganizationId(organizationId);
        e.setExtension(number);
        e.setNumericValue(Long.parseLong(number));
        e.setEntraTenant(tenantId);
        e.setEntraOid(oid);
        e.setStatus(ExtensionEntity.ACTIVE);
        e.setAssignedAt(now);
        e.setUserId(r.newUserId());
        em.persist(e);
    }

    /**
     * Records which Keycloak user holds the numbers (after the users were written), for the users
     * whose number was not recorded with their id when it was given: existing users, and new users
     * who already held a number (their id is new).
     */
    public static void bindUsers(EntityManager em, String organizationId, Map<String, String> userIdByOid) {
        if (userIdByOid.isEmpty()) {
            return;
        }
        for (ExtensionEntity e : em.createNamedQuery("EntraPbxExtension.byOids", ExtensionEntity.class)
                .setParameter("org", organizationId).setParameter("oids", userIdByOid.keySet()).getResultList()) {
            String userId = userIdByOid.get(e.getEntraOid());
            if (userId != null && !userId.equals(e.getUserId())) {
                e.setUserId(userId);
            }
        }
    }

    /**
     * Releases the numbers of deleted users: into quarantine (still held, nobody else gets them),
     * or free at once when the quarantine is zero.
     */
    public static void release(EntityManager em, String organizationId, Collection<String> oids, Duration quarantine, long now) {
        if (oids.isEmpty()) {
            return;
        }
        for (ExtensionEntity e : em.createNamedQuery("EntraPbxExtension.byOids", ExtensionEntity.class)
                .setParameter("org", organizationId).setParameter("oids", oids).getResultList()) {
            if (quarantine.isZero()) {
                em.remove(e);
            } else {
                e.setStatus(ExtensionEntity.QUARANTINED);
                e.setReleasedAt(now);
                e.setUserId(null);
            }
        }
    }

    static boolean isUniqueViolation(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof ModelDuplicateException) {
                return true;
            }
            if (c instanceof org.hibernate.exception.ConstraintViolationException) {
                return true;
            }
            if (c instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("23")) {
                return true;
            }
            if (c instanceof PersistenceException && c.getMessage() != null && c.getMessage().contains("UK_ENTRAPBX_EXT")) {
                return true;
            }
        }
        return false;
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
