package dev.entrapbx.sync;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.jboss.logging.Logger;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * The slice writer: a page is written in slices of {@value #TX_SIZE} users. Per slice, on the
 * run's thread, extensions are allocated (own transaction, database-unique) and the ids of users
 * that turn out to be new are chosen; then the slice is written in one transaction
 * ({@link SliceTransaction}), {@value #PARALLEL_SLICES} slices at a time. A slice that fails as a
 * whole is written user by user, so one bad user is recorded and the rest are written.
 */
final class SliceWriter implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SliceWriter.class);

    /**
     * Users per transaction: a Graph page (up to 999) is written in slices of this size, so a
     * transaction stays small (Hibernate's persistence context, lock time, rollback cost).
     */
    static final int TX_SIZE = 250;

    /**
     * Slices written at the same time, each in its own transaction: a sync thread writing one slice
     * after the other left the machine half idle (it waits for the database, the database waits for
     * it). Extensions are still allocated one slice after the other, on the run's thread.
     */
    static final int PARALLEL_SLICES = 2;

    private final RealmJobs jobs;
    private final EntraUserMapper mapper;
    /** Null when extensions are off. */
    private final ExtensionAllocator allocator;
    private final SliceTransaction transaction;
    private final ExecutorService writers = Executors.newFixedThreadPool(PARALLEL_SLICES, RunThreads.daemon("entra-pbx-sync-writer-"));

    SliceWriter(RealmJobs jobs, String componentId, EntraSyncConfig config, EntraUserMapper mapper, SyncTarget target, Clock clock) {
        this.jobs = jobs;
        this.mapper = mapper;
        this.allocator = config.extensionMode() == EntraSyncConfig.ExtensionMode.NONE ? null
                : new ExtensionAllocator(jobs.factory(), jobs.realmId(), target.organizationId(), target.tenantId(),
                        config.extensionRange(), config.quarantine(), clock);
        this.transaction = new SliceTransaction(jobs, componentId, config, mapper, target, allocator != null, clock);
    }

    /** Writes a page's users; each slice's result goes to {@code written} on this thread, in order, as soon as it is committed. */
    void write(List<EntraUser> page, Consumer<SliceResult> written) {
        List<Future<SliceResult>> slices = new ArrayList<>();
        for (int i = 0; i < page.size(); i += TX_SIZE) {
            List<EntraUser> slice = page.subList(i, Math.min(page.size(), i + TX_SIZE));
            Map<String, String> newIds = new HashMap<>(); // the id each user gets if it turns out to be new
            slice.forEach(u -> newIds.put(u.id(), KeycloakModelUtils.generateId()));
            SliceTransaction.Plan plan = new SliceTransaction.Plan(allocate(slice, newIds), newIds);
            slices.add(writers.submit(() -> writeSlice(slice, plan)));
        }
        for (Future<SliceResult> f : slices) {
            written.accept(RunThreads.await(f));
        }
    }

    private Map<String, ExtensionAllocator.Result> allocate(List<EntraUser> users, Map<String, String> newIds) {
        if (allocator == null) {
            return Map.of();
        }
        List<ExtensionAllocator.Request> requests = new ArrayList<>();
        for (EntraUser u : users) {
            requests.add(new ExtensionAllocator.Request(u.id(), mapper.extensionCandidate(u).orElse(null), newIds.get(u.id())));
        }
        return allocator.allocate(requests);
    }

    /** One slice in one transaction; if that fails, each user alone, so one bad user is recorded and the rest are written. */
    private SliceResult writeSlice(List<EntraUser> users, SliceTransaction.Plan plan) {
        try {
            return jobs.get(s -> transaction.write(s, users, plan));
        } catch (RuntimeException pageFailure) {
            LOG.debugf(pageFailure, "slice of %d users failed as a whole; importing them one by one", users.size());
            SliceResult counts = new SliceResult();
            for (EntraUser u : users) {
                try {
                    counts.add(jobs.get(s -> transaction.write(s, List.of(u), plan)));
                } catch (RuntimeException e) {
                    counts.problems.add(new SliceResult.Problem(true, u.id(), mapper.username(u).orElse(null), "not imported: " + RunLog.describe(e)));
                }
            }
            return counts;
        }
    }

    @Override
    public void close() {
        writers.shutdownNow();
    }
}
