package dev.entrapbx.sync;

import dev.entrapbx.sync.graph.GraphDirectory;
import dev.entrapbx.graph.GraphException;
import dev.entrapbx.sync.jpa.UserPhotoEntity;
import dev.entrapbx.sync.photo.PhotoResource;
import dev.entrapbx.kc.DirectoryTouched;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * Profile photos of the users a slice wrote, fetched only when they changed: the metadata
 * ({@code GET /users/{id}/photo}, which carries Graph's media ETag) of 20 users per JSON batch
 * and, only when a user's ETag differs from the stored one, the bytes. A user without a photo
 * (404) loses the stored one. A few batches run in parallel (Graph's throttling applies per app
 * and tenant, so the pool is small); the stored rows change in one transaction per
 * {@value #BATCH} users, so at most that many photos are held in memory.
 *
 * <p>Photos run beside the import, not in its way: {@link #submit} hands a committed slice's users
 * to a coordinator thread and returns (it blocks only when {@value #QUEUED_SLICES} slices are
 * still waiting, so memory stays bounded); {@link #finish} waits for the rest. Graph's latency
 * for the photo calls then overlaps with the database writes of the next slices.
 *
 * <p>A photo that cannot be read is a warning in the run log (the user itself was imported); if
 * Graph refuses photos altogether (401/403), the rest of the run skips them and says why. Only the
 * types the photo endpoint serves ({@link PhotoResource#SERVED_TYPES}) are stored: a photo of
 * another type (an SVG, say) is a warning that names the type, and the user's stored photo, if any,
 * is removed.
 */
final class PhotoSync implements AutoCloseable {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(PhotoSync.class);

    static final int PARALLEL_CALLS = 4;
    /** Users per transaction: one Graph batch per parallel call. */
    static final int BATCH = PARALLEL_CALLS * GraphDirectory.BATCH_LIMIT;
    static final int QUEUED_SLICES = 8;

    /** A user whose photo is checked. */
    record Target(String oid, String userId, String username) {
    }

    sealed interface Outcome permits Unchanged, Put, Remove, Failed, Unsupported {
    }

    record Unchanged() implements Outcome {
    }

    record Put(GraphDirectory.PhotoInfo info, byte[] bytes) implements Outcome {
    }

    record Remove() implements Outcome {
    }

    record Failed(int status, String reason) implements Outcome {
    }

    /** A photo of a type the endpoint does not serve: not stored, and a stored one is removed. */
    record Unsupported(String reason) implements Outcome {
    }

    private final KeycloakSessionFactory factory;
    private final String realmId;
    private final String organizationId;
    private final String componentId;
    private final GraphDirectory graph;
    private final RunLog run; // touched only from the run's thread (drainProblems)
    private final Clock clock;
    private final ExecutorService pool;
    private final ExecutorService coordinator;
    private final Semaphore queued = new Semaphore(QUEUED_SLICES);
    private final List<Future<?>> pending = new ArrayList<>();
    /** Warnings found on the photo threads, handed to the (single-threaded) run log by {@link #drainProblems}. */
    private final Queue<String[]> problems = new ConcurrentLinkedQueue<>();
    private volatile String refused; // why Graph refuses photos for this run, once it did
    int downloaded;
    int removed;
    int unchanged;
    int failed;

    PhotoSync(KeycloakSessionFactory factory, String realmId, String componentId, String organizationId, GraphDirectory graph,
              RunLog run, Clock clock) {
        this.factory = factory;
        this.realmId = realmId;
        this.organizationId = organizationId;
        this.componentId = componentId;
        this.graph = graph;
        this.run = run;
        this.clock = clock;
        java.util.concurrent.ThreadFactory threads = RunThreads.daemon("entra-pbx-photos-");
        this.pool = Executors.newFixedThreadPool(PARALLEL_CALLS, threads);
        this.coordinator = Executors.newSingleThreadExecutor(threads);
    }

    /** Queues the photo check of these (committed) users; returns at once unless too many slices wait. */
    void submit(List<Target> targets) {
        if (targets.isEmpty()) {
            return;
        }
        List<Target> copy = List.copyOf(targets);
        try {
            queued.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while queueing photos", e);
        }
        pending.add(coordinator.submit(() -> {
            try {
                sync(copy);
            } finally {
                queued.release();
            }
        }));
        pending.removeIf(Future::isDone);
    }

    /** Waits until every queued photo check is done. */
    void finish() {
        for (Future<?> f : pending) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for photos", e);
            } catch (ExecutionException e) {
                failed++;
                problems.add(new String[] {null, null, "photos of a slice not updated: " + RunLog.describe(e.getCause())});
            }
        }
        pending.clear();
    }

    /** Hands the warnings found so far to the run log (call from the run's own thread). */
    void drainProblems() {
        for (String[] p; (p = problems.poll()) != null; ) {
            run.problem(false, p[0], p[1], p[2]);
        }
    }

    /** Brings the stored photos of these users up to date with Entra. */
    private void sync(List<Target> targets) {
        for (int i = 0; i < targets.size() && refused == null; i += BATCH) {
            batch(targets.subList(i, Math.min(targets.size(), i + BATCH)));
        }
    }

    private void batch(List<Target> targets) {
        List<String> userIds = targets.stream().map(Target::userId).toList();
        Map<String, String> stored = KeycloakModelUtils.runJobInTransactionWithResult(factory, s -> etags(em(s), userIds));
        List<Future<Map<Target, Outcome>>> futures = new ArrayList<>();
        for (int i = 0; i < targets.size(); i += GraphDirectory.BATCH_LIMIT) {
            List<Target> chunk = targets.subList(i, Math.min(targets.size(), i + GraphDirectory.BATCH_LIMIT));
            futures.add(pool.submit(() -> check(chunk, stored)));
        }
        Map<Target, Outcome> outcomes = new HashMap<>();
        for (Future<Map<Target, Outcome>> f : futures) {
            outcomes.putAll(RunThreads.await(f));
        }
        Map<Target, Put> puts = new HashMap<>();
        List<String> removals = new ArrayList<>();
        int dropped = 0; // removals of photos of a type not served (counted as failed)
        for (Target t : targets) {
            Outcome o = outcomes.get(t);
            if (o instanceof Put p) {
                puts.put(t, p);
            } else if (o instanceof Remove) {
                removals.add(t.userId());
            } else if (o instanceof Unchanged) {
                unchanged++;
            } else if (o instanceof Failed f) {
                failed++;
                if ((f.status() == 401 || f.status() == 403) && refused == null) {
                    refused = f.reason();
                }
                if (refused == null) {
                    problems.add(new String[] {t.oid(), t.username(), "photo not updated: " + f.reason()});
                }
            } else if (o instanceof Unsupported u) {
                failed++;
                problems.add(new String[] {t.oid(), t.username(), "photo not stored: " + u.reason()});
                if (stored.containsKey(t.userId())) {
                    removals.add(t.userId());
                    dropped++;
                }
            }
        }
        if (puts.isEmpty() && removals.isEmpty()) {
            return;
        }
        try {
            KeycloakModelUtils.runJobInTransaction(factory, s -> {
                store(em(s), puts, removals);
                List<String> touched = new ArrayList<>(removals);
                puts.keySet().forEach(t -> touched.add(t.userId()));
                DirectoryTouched.publish(s, realmId, organizationId, touched);
            });
        } catch (RuntimeException e) { // the users are synced; their photos wait for the next run
            LOG.warnf(e, "Entra user sync %s: %d photo(s) not stored", componentId, puts.size() + removals.size() - dropped);
            failed += puts.size() + removals.size() - dropped;
            String reason = "photo not stored: " + RunLog.describe(e);
            for (Target t : targets) {
                if (puts.containsKey(t) || removals.contains(t.userId())) {
                    problems.add(new String[] {t.oid(), t.username(), reason});
                }
            }
            return;
        }
        downloaded += puts.size();
        removed += removals.size() - dropped;
    }

    private void store(EntityManager em, Map<Target, Put> puts, List<String> removals) {
        deleteForUsers(em, removals);
        for (Map.Entry<Target, Put> e : puts.entrySet()) {
            UserPhotoEntity row = em.find(UserPhotoEntity.class, e.getKey().userId());
            boolean created = row == null;
            if (created) {
                row = new UserPhotoEntity();
                row.setUserId(e.getKey().userId());
                row.setRealmId(realmId);
            }
            row.setComponentId(componentId);
            row.setEtag(e.getValue().info().etag());
            row.setContentType(e.getValue().info().contentType());
            row.setPhoto(e.getValue().bytes());
            row.setUpdatedAt(clock.millis());
            if (created) {
                em.persist(row);
            }
        }
    }

    /** The outcome for each of up to 20 users: one batch of metadata, then the bytes of those whose ETag changed. */
    Map<Target, Outcome> check(List<Target> chunk, Map<String, String> storedEtags) {
        Map<Target, Outcome> out = new HashMap<>();
        if (refused != null) {
            chunk.forEach(t -> out.put(t, new Failed(0, "skipped: Graph refuses photos")));
            return out;
        }
        Map<String, GraphDirectory.PhotoLookup> found;
        try {
            found = graph.photos(chunk.stream().map(Target::oid).toList());
        } catch (GraphException e) {
            chunk.forEach(t -> out.put(t, new Failed(e.status(), e.getMessage())));
            return out;
        } catch (RuntimeException e) { // a photo must never stop the sync of the users
            chunk.forEach(t -> out.put(t, new Failed(0, RunLog.describe(e))));
            return out;
        }
        for (Target t : chunk) {
            out.put(t, outcome(t, found.get(t.oid()), storedEtags.get(t.userId())));
        }
        return out;
    }

    private Outcome outcome(Target t, GraphDirectory.PhotoLookup lookup, String storedEtag) {
        if (lookup instanceof GraphDirectory.NoPhoto) {
            return storedEtag == null ? new Unchanged() : new Remove();
        }
        if (lookup instanceof GraphDirectory.PhotoFailed f) {
            return new Failed(f.status(), f.reason());
        }
        if (!(lookup instanceof GraphDirectory.PhotoFound found)) {
            return new Failed(0, "Graph's batch did not answer for this user's photo");
        }
        String described = found.info().contentType();
        if (described != null && PhotoResource.servedType(described) == null) {
            return new Unsupported(unsupported(described));
        }
        if (found.info().etag().equals(storedEtag)) {
            return new Unchanged();
        }
        try {
            GraphDirectory.PhotoBytes photo = graph.photoBytes(t.oid(), UserPhotoEntity.MAX_BYTES);
            String sent = photo.contentType() != null ? photo.contentType() : described; // the type the bytes came with decides
            String type = PhotoResource.servedType(sent);
            return type == null ? new Unsupported(unsupported(sent))
                    : new Put(new GraphDirectory.PhotoInfo(found.info().etag(), type), photo.bytes());
        } catch (GraphException e) {
            return new Failed(e.status(), e.getMessage());
        } catch (RuntimeException e) {
            return new Failed(0, RunLog.describe(e));
        }
    }

    private static String unsupported(String type) {
        return "Graph gives it as " + (type == null ? "a photo without a content type" : type) + ", and only "
                + String.join(", ", PhotoResource.SERVED_TYPES.stream().sorted().toList()) + " are stored and served";
    }

    /** The run log's line about photos. */
    String summary() {
        String counts = "Photos: " + downloaded + " downloaded, " + removed + " removed, " + unchanged + " unchanged, " + failed + " failed.";
        return refused == null ? counts : counts + " Graph refused photos, so the rest were skipped: " + refused
                + " (the app needs User.Read.All or ProfilePhoto.Read.All as an application permission).";
    }

    static Map<String, String> etags(EntityManager em, List<String> userIds) {
        Map<String, String> out = new HashMap<>();
        for (Object[] r : em.createNamedQuery("EntraPbxUserPhoto.etags", Object[].class).setParameter("users", userIds).getResultList()) {
            out.put((String) r[0], (String) r[1]);
        }
        return out;
    }

    static void deleteForUsers(EntityManager em, List<String> userIds) {
        if (!userIds.isEmpty()) {
            em.createNamedQuery("EntraPbxUserPhoto.deleteByUsers").setParameter("users", userIds).executeUpdate();
        }
    }

    private static EntityManager em(org.keycloak.models.KeycloakSession s) {
        return s.getProvider(JpaConnectionProvider.class).getEntityManager();
    }

    @Override
    public void close() {
        coordinator.shutdownNow();
        pool.shutdownNow();
        try {
            coordinator.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS); // so the counts are final
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
