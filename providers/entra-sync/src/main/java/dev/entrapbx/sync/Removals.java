package dev.entrapbx.sync;

import dev.entrapbx.kc.DirectoryTouched;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserProvider;
import org.keycloak.models.cache.UserCache;
import org.keycloak.storage.UserStoragePrivateUtil;
import org.keycloak.storage.UserStorageProviderModel;

/**
 * Removals with the accidental-delete guard: reads the component's synced users, plans what
 * happens to those that left (disabled at once; deleted at once with a grace of 0, or when their
 * grace period is over), lets the guard ({@link DeletionGuard}) stop all of it, and performs it in
 * transactions of {@value #PER_TX} users (cache entries evicted; a deleted user's extension is
 * quarantined and its photo removed).
 */
final class Removals {

    /** Disables and deletions per transaction. */
    static final int PER_TX = 500;

    /** What the run will do to the users that left, as of {@code now}; {@code reasons} by object id. */
    record Plan(List<String> toDisable, List<String> toDeleteNow, List<String> graceOver, Map<String, String> reasons, Instant now) {

        int actions() {
            return toDisable.size() + toDeleteNow.size() + graceOver.size();
        }
    }

    private final RealmJobs jobs;
    private final UserStorageProviderModel model;
    private final EntraSyncConfig config;
    private final SyncStateStore state;
    private final RunLog run;
    private final Clock clock;

    Removals(RealmJobs jobs, UserStorageProviderModel model, EntraSyncConfig config, SyncStateStore state, RunLog run, Clock clock) {
        this.jobs = jobs;
        this.model = model;
        this.config = config;
        this.state = state;
        this.run = run;
        this.clock = clock;
    }

    /** Every user this component synced, by object id. */
    Map<String, SyncedUser> synced() {
        return jobs.get(s -> LocalUsers.synced(RealmJobs.em(s), jobs.realmId(), model.getId()));
    }

    /** These synced users (by object id) plus every synced user the sync disabled (its grace period runs). */
    Map<String, SyncedUser> synced(Set<String> oids) {
        return jobs.get(s -> {
            EntityManager em = RealmJobs.em(s);
            Map<String, SyncedUser> out = LocalUsers.synced(em, jobs.realmId(), model.getId(), oids);
            out.putAll(LocalUsers.disabledBySync(em, jobs.realmId(), model.getId()));
            return out;
        });
    }

    /** How many users this component synced. */
    int count() {
        return jobs.get(s -> LocalUsers.countOfComponent(RealmJobs.em(s), jobs.realmId(), model.getId()));
    }

    /** The plan, as of now. */
    Plan plan(Map<String, SyncedUser> local, Map<String, String> leaving) {
        return plan(local, leaving, config.deleteGrace(), clock.instant());
    }

    /**
     * Leaving users that were synced and not yet disabled by the sync are disabled, or deleted at
     * once with a grace of 0; synced users the sync disabled longer ago than the grace are deleted.
     */
    static Plan plan(Map<String, SyncedUser> local, Map<String, String> leaving, Optional<Duration> grace, Instant now) {
        List<String> toDisable = new ArrayList<>();
        List<String> toDeleteNow = new ArrayList<>();
        for (Map.Entry<String, String> e : leaving.entrySet()) {
            SyncedUser lu = local.get(e.getKey());
            if (lu == null || lu.disabledAt() != null) {
                continue; // never imported, or already disabled by us (its grace period runs)
            }
            if (grace.isPresent() && grace.get().isZero()) {
                toDeleteNow.add(e.getKey());
            } else {
                toDisable.add(e.getKey());
            }
        }
        List<String> graceOver = new ArrayList<>();
        if (grace.isPresent()) {
            for (Map.Entry<String, SyncedUser> e : local.entrySet()) {
                String at = e.getValue().disabledAt();
                if (at != null && parse(at).plus(grace.get()).isBefore(now)) {
                    graceOver.add(e.getKey());
                }
            }
        }
        return new Plan(toDisable, toDeleteNow, graceOver, leaving, now);
    }

    private static Instant parse(String iso) {
        try {
            return Instant.parse(iso);
        } catch (RuntimeException e) {
            return Instant.EPOCH;
        }
    }

    /**
     * False when the guard stops the plan ({@code total}: the component's synced users): the run
     * records why, keeps the delta link and raises an admin event. An admin's confirmation lets a
     * tripped guard through once.
     */
    boolean guardAllows(Plan plan, int total) {
        int actions = plan.actions();
        SyncStateStore.State stored = state.load();
        boolean tripped = DeletionGuard.trips(actions, total, config.guardMaxUsers(), config.guardMaxPercent());
        if (tripped && !stored.guardConfirmed()) {
            String why = DeletionGuard.message(actions, total, config.guardMaxUsers(), config.guardMaxPercent(), model.getId());
            run.note(why);
            state.guardTripped(why);
            AdminEvents.guardTripped(jobs.factory(), jobs.realmId(), model, actions, total, why);
            return false;
        }
        if (tripped) {
            run.note("Accidental-delete guard was confirmed by an admin: performing " + actions + " disables/deletions.");
        }
        return true;
    }

    /** Disables, then deletions ({@code local}: the synced users the plan was made from). */
    void perform(Plan plan, Map<String, SyncedUser> local, String organizationId) {
        for (List<String> chunk : LocalUsers.chunks(plan.toDisable(), PER_TX)) {
            disable(chunk, plan.reasons(), local, plan.now(), organizationId);
        }
        for (List<String> chunk : LocalUsers.chunks(plan.toDeleteNow(), PER_TX)) {
            delete(chunk, local, organizationId);
        }
        for (List<String> chunk : LocalUsers.chunks(plan.graceOver(), PER_TX)) {
            delete(chunk, local, organizationId);
        }
    }

    /** Something done to each of a chunk's synced users, in one transaction; the cache entry is evicted first, the directory told after. */
    private interface UserAction {
        void apply(RealmModel realm, UserProvider users, String oid, UserModel user);
    }

    private void forEachUser(List<String> oids, Map<String, SyncedUser> local, String organizationId, UserAction action,
                             Consumer<KeycloakSession> after) {
        jobs.run(s -> {
            RealmModel realm = jobs.realm(s);
            UserProvider users = UserStoragePrivateUtil.userLocalStorage(s);
            UserCache cache = s.getProvider(UserCache.class);
            List<String> touched = new ArrayList<>();
            for (String oid : oids) {
                UserModel user = users.getUserById(realm, local.get(oid).userId());
                if (user == null) {
                    continue;
                }
                touched.add(user.getId());
                if (cache != null) {
                    cache.evict(realm, user);
                }
                action.apply(realm, users, oid, user);
            }
            after.accept(s);
            DirectoryTouched.publish(s, jobs.realmId(), organizationId, touched);
        });
    }

    private void disable(List<String> oids, Map<String, String> reasons, Map<String, SyncedUser> local, Instant now, String organizationId) {
        forEachUser(oids, local, organizationId, (realm, users, oid, user) -> {
            user.setEnabled(false);
            user.setSingleAttribute(EntraUserMapper.ATTR_DISABLED_AT, now.toString());
            user.setSingleAttribute(EntraUserMapper.ATTR_DISABLED_REASON, reasons.getOrDefault(oid, "left Entra"));
            run.disabled++;
        }, s -> { });
    }

    private void delete(List<String> oids, Map<String, SyncedUser> local, String organizationId) {
        forEachUser(oids, local, organizationId, (realm, users, oid, user) -> {
            users.removeUser(realm, user);
            run.deleted++;
        }, s -> {
            EntityManager em = RealmJobs.em(s);
            ExtensionAllocator.release(em, organizationId, oids, config.quarantine(), clock.millis());
            PhotoSync.deleteForUsers(em, oids.stream().map(oid -> local.get(oid).userId()).toList());
        });
    }
}
