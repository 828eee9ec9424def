package dev.entrapbx.simulator.presence;

import dev.entrapbx.simulator.directory.Directory;
import dev.entrapbx.simulator.model.User;

import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * For benchmarks: gives the users of a tenant (e.g. 10,000 generated users) a random presence, then changes the
 * presence of random users at a given rate until stopped. Changes go through {@link PresenceStore}, so subscriptions
 * get notified as for any other change.
 */
public final class PresenceGenerator {
    /** The states generated users take (availability/activity pairs a Teams client shows). */
    private static final String[][] STATES = {
        {"Available", "Available"}, {"Busy", "InACall"}, {"Busy", "InAMeeting"}, {"Busy", "Busy"},
        {"DoNotDisturb", "Presenting"}, {"Away", "Away"}, {"BeRightBack", "BeRightBack"},
        {"AvailableIdle", "Inactive"}, {"Offline", "OffWork"}, {"DoNotDisturb", "DoNotDisturb"}};

    /** The generator's progress. */
    public record Status(boolean running, String tenantId, int users, double changesPerSecond, long changes) { }

    private final Directory directory;
    private final PresenceStore store;
    private final AtomicLong changes = new AtomicLong();
    private ScheduledExecutorService executor;
    private ScheduledFuture<?> task;
    private String tenantId;
    private List<User> users = List.of();
    private double rate;

    public PresenceGenerator(Directory directory, PresenceStore store) {
        this.directory = directory;
        this.store = store;
    }

    /**
     * Sets a random presence for {@code count} users of the tenant (all when count is 0 or larger than the tenant),
     * then changes {@code changesPerSecond} random users' presence per second (0: no changes).
     */
    public synchronized Status start(String tenant, int count, double changesPerSecond, long seed) {
        stop();
        String tid = directory.requireTenant(tenant).id();
        List<User> all = directory.users(tid);
        users = count > 0 && count < all.size() ? List.copyOf(all.subList(0, count)) : List.copyOf(all);
        tenantId = tid;
        rate = changesPerSecond;
        changes.set(0);
        Random random = new Random(seed);
        for (User u : users) {
            change(u, random);
        }
        if (changesPerSecond > 0 && !users.isEmpty()) {
            executor = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "presence-generator");
                t.setDaemon(true);
                return t;
            });
            // ticks of 10 ms, each doing the changes due since the start
            long startNanos = System.nanoTime();
            long[] done = {0};
            task = executor.scheduleAtFixedRate(() -> {
                double due = (System.nanoTime() - startNanos) / 1e9 * changesPerSecond;
                while (done[0] < (long) due) {
                    change(users.get(random.nextInt(users.size())), random);
                    done[0]++;
                }
            }, 10, 10, TimeUnit.MILLISECONDS);
        }
        return status();
    }

    public synchronized void stop() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }

    public synchronized Status status() {
        return new Status(task != null, tenantId, users.size(), rate, changes.get());
    }

    private void change(User u, Random random) {
        String[] s = STATES[random.nextInt(STATES.length)];
        store.setOwn(tenantId, u.id(), new PresenceState(s[0], s[1], null, false), false);
        changes.incrementAndGet();
    }
}
