package dev.entrapbx.sync;

import dev.entrapbx.core.AppTokens;
import dev.entrapbx.graph.GraphException;
import dev.entrapbx.kc.Meters;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.storage.UserStorageProviderModel;
import org.keycloak.storage.user.SynchronizationResult;

/**
 * One sync run of an {@code entra-users} component, following Keycloak's LDAP import recipe with
 * Graph delta queries and one transaction per slice of a page. The run is a sequence of stages,
 * each a class that owns its state:
 *
 * <ol>
 * <li>{@link SyncTarget}: the Organization, the Entra identity provider, the Graph connection;</li>
 * <li>{@link SyncScope}: who is in scope (groups, filter, or all; guests and disabled accounts);</li>
 * <li>{@link DeltaReader}: pages through {@code /users/delta} (a new round for a full sync, the
 *     stored delta link for a changed sync; an expired link falls back to a full round), the next
 *     page fetched while this one is written;</li>
 * <li>{@link SliceWriter}: per slice of {@value SliceWriter#TX_SIZE} users, extensions allocated,
 *     then users created or updated, linked and made members, one transaction per slice;</li>
 * <li>{@link PhotoSync}: the photos of the users written, beside the import;</li>
 * <li>{@link Removals}: a full round reconciles (synced users not seen are out of Entra or out of
 *     scope); disables and deletions go through the accidental-delete guard;</li>
 * <li>{@link SyncStateStore}: the delta link is stored only now, after everything it covers was committed;</li>
 * <li>{@link GroupMirror}: with the {@code groupMirror} setting on, Entra groups mirrored under the
 *     Organization's parent group (groups delta, its own link stored after its own changes);</li>
 * <li>{@link ContactsSync}: with a contact source on, organizational contacts, the shared mailboxes'
 *     contacts and the users' own, each folder through its own delta link.</li>
 * </ol>
 * A page Graph cannot deliver stops the run: nothing is reconciled, the delta link stays, the
 * run is FAILED with the reason.
 */
public final class EntraSync {

    private static final Logger LOG = Logger.getLogger(EntraSync.class);

    public enum Trigger {
        FULL, CHANGED;

        String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Server-wide settings (factory init). */
    public record Settings(boolean allowAuthorityOverride, dev.entrapbx.graph.RetryPolicy retryPolicy) {
    }

    private final RealmJobs jobs;
    private final UserStorageProviderModel model;
    private final EntraSyncConfig config;
    private final EntraUserMapper mapper;
    private final Settings settings;
    private final AppTokens tokens;
    private final Clock clock;

    // the run's stages
    private RunLog run;
    private SyncTarget target;
    private DeltaReader reader;
    private SliceWriter writer;
    private PhotoSync photos;
    private PlannerStatistics statistics;
    /** Object ids of the users this run created or adopted (for the groups mirror). */
    private final List<String> arrived = new java.util.ArrayList<>();

    public EntraSync(KeycloakSessionFactory factory, String realmId, UserStorageProviderModel model, Settings settings,
                     AppTokens tokens, Clock clock) {
        this.jobs = new RealmJobs(factory, realmId);
        this.model = model;
        this.config = new EntraSyncConfig(model);
        this.mapper = new EntraUserMapper(config);
        this.settings = settings;
        this.tokens = tokens;
        this.clock = clock;
    }

    public SynchronizationResult run(Trigger trigger) {
        return run(trigger, org.keycloak.models.utils.KeycloakModelUtils.generateId(), () -> {
        });
    }

    /**
     * The run, recorded under {@code runId}; {@code started} is called once the run log holds it as
     * RUNNING (a run started from admin REST answers with the id then, and runs on).
     */
    public SynchronizationResult run(Trigger trigger, String runId, Runnable started) {
        long startedAt = clock.millis();
        run = RunLog.start(jobs.factory(), jobs.realmId(), model.getId(), trigger.id(), runId, clock);
        if (run == null) {
            LOG.infof("Entra sync '%s' (realm %s): another run of it is in progress (this node or another); this %s run is skipped",
                    model.getName(), jobs.realmId(), trigger.id());
            return SynchronizationResult.ignored();
        }
        run.retriesFrom(() -> target == null || target.graph() == null ? 0 : target.graph().retries()); // read at every checkpoint
        started.run();
        RunLog.Status status;
        try {
            status = execute(trigger);
        } catch (GraphException e) {
            run.note("Stopped: " + e.getMessage() + ". Nothing was reconciled and the delta link was not advanced.");
            status = RunLog.Status.FAILED;
            LOG.warnf("Entra sync '%s' (realm %s) failed: %s", model.getName(), jobs.realmId(), e.getMessage());
        } catch (RuntimeException e) {
            run.note("Stopped: " + RunLog.describe(e) + ". Nothing was reconciled and the delta link was not advanced.");
            status = RunLog.Status.FAILED;
            LOG.errorf(e, "Entra sync '%s' (realm %s) failed", model.getName(), jobs.realmId());
        } finally {
            if (writer != null) {
                writer.close();
            }
            if (reader != null) {
                reader.close();
            }
            if (photos != null) {
                photos.close();
                photos.drainProblems();
                run.note(photos.summary());
            }
        }
        run.finish(status, config.runsKept());
        meter(trigger, status, startedAt);
        return run.result();
    }

    private RunLog.Status execute(Trigger trigger) {
        target = new SyncTarget(jobs, config, settings, tokens);
        target.resolve(run);
        run.phase(RunLog.Phase.USERS);
        writer = new SliceWriter(jobs, model.getId(), config, mapper, target, clock);
        if (config.syncPhotos()) {
            photos = new PhotoSync(jobs.factory(), jobs.realmId(), model.getId(), target.organizationId(), target.graph(), run, clock);
        }
        statistics = PlannerStatistics.start(jobs.factory());
        reader = new DeltaReader(target.graph(), mapper, run);
        SyncStateStore state = new SyncStateStore(jobs, model.getId(), clock);
        Removals removals = new Removals(jobs, model, config, state, run, clock);

        String deltaLink = trigger == Trigger.CHANGED ? state.load().deltaLink() : null;
        if (trigger == Trigger.CHANGED && deltaLink == null) {
            run.note("No delta link stored yet: ran a full sync.");
        }
        SyncScope scope = SyncScope.load(target.graph(), config);
        DeltaRound round = reader.read(deltaLink, scope, this::write);
        run.mode = round.full ? "full" : "changed";
        if (scope.limited()) {
            reader.readEntered(round, scope, removals.synced().keySet(), this::write);
        }

        // who leaves: removed in Entra, disabled, out of scope, or (full round) not seen at all
        boolean wholeComponent = round.full || scope.limited();
        statistics.beforeReconcile(run.added);
        // a changed sync of scope 'all' needs only the leaving users and those in their grace period,
        // so its cost follows the number of changes, not the size of the directory
        Map<String, SyncedUser> synced = wholeComponent ? removals.synced() : removals.synced(round.leaving.keySet());
        int total = wholeComponent ? synced.size() : removals.count();
        Map<String, String> leaving = wholeComponent ? round.leavers(synced.keySet(), scope) : round.leaving;
        if (photos != null) {
            run.phase(RunLog.Phase.PHOTOS);
            photos.finish(); // before removals, so no photo is stored for a user being deleted
        }
        run.phase(RunLog.Phase.REMOVALS);

        Removals.Plan plan = removals.plan(synced, leaving);
        if (!removals.guardAllows(plan, total)) {
            return RunLog.Status.GUARDED; // the delta link stays
        }
        removals.perform(plan, synced, target.organizationId());
        state.advance(round.deltaLink); // only now: everything the link covers is committed

        // after the users: the Entra groups mirror (a failure of its own is noted and makes the run PARTIAL)
        if (config.groupMirror() != EntraSyncConfig.GroupMirrorMode.NONE) {
            run.phase(RunLog.Phase.GROUPS);
        }
        GroupMirror groups = new GroupMirror(jobs, model.getId(), config, target.graph(), state, run);
        boolean groupsMirrored = groups.run(trigger == Trigger.FULL, target.organizationId(), arrived);

        // then contacts: organizational, the shared mailboxes', the users' own (a failure of their own makes the run PARTIAL)
        boolean contactsRead = contacts(removals, trigger == Trigger.FULL);
        return run.failed > 0 || !groupsMirrored || !contactsRead ? RunLog.Status.PARTIAL : RunLog.Status.SUCCESS;
    }

    /** The run on /metrics: by status, its duration, its users by outcome; tagged with the realm and the Organization. */
    private void meter(Trigger trigger, RunLog.Status status, long startedAt) {
        try {
            String realmName = jobs.get(s -> {
                org.keycloak.models.RealmModel r = s.realms().getRealm(jobs.realmId());
                return r == null ? null : r.getName();
            });
            String organization = target != null && target.organizationAlias() != null ? target.organizationAlias()
                    : config.organization().orElse(null);
            Map<String, Integer> users = new java.util.LinkedHashMap<>();
            users.put("added", run.added);
            users.put("adopted", run.adopted);
            users.put("updated", run.updated);
            users.put("disabled", run.disabled);
            users.put("deleted", run.deleted);
            users.put("failed", run.failed);
            Meters.syncRun(realmName, organization, trigger.id(), status.name().toLowerCase(Locale.ROOT),
                    java.time.Duration.ofMillis(clock.millis() - startedAt), users);
        } catch (RuntimeException e) {
            LOG.debugf(e, "Entra sync '%s': the run's meters were not recorded", model.getName());
        }
    }

    private boolean contacts(Removals removals, boolean fullSync) {
        if (config.contacts()) {
            run.phase(RunLog.Phase.CONTACTS);
        }
        try {
            Map<String, SyncedUser> owners = config.contactsPersonal() ? removals.synced() : Map.of();
            return new ContactsSync(jobs, model.getId(), config, target, run, clock).run(owners, fullSync, model.getChangedSyncPeriod());
        } catch (RuntimeException e) {
            run.note("Contacts stopped: " + RunLog.describe(e) + ". The users were synced; the contacts read so far are kept.");
            LOG.errorf(e, "Entra sync '%s' (realm %s): contacts failed", model.getName(), jobs.realmId());
            return false;
        }
    }

    /** A page's users through the slice writer; each committed slice into the run log, the statistics and the photo queue. */
    private void write(List<EntraUser> users) {
        writer.write(users, slice -> {
            slice.countInto(run);
            arrived.addAll(slice.arrived);
            statistics.afterSlice(run.added);
            if (photos != null) {
                photos.submit(slice.written);
                photos.drainProblems();
            }
            run.checkpoint();
        });
    }
}
