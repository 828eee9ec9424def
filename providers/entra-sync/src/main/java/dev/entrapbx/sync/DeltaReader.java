package dev.entrapbx.sync;

import dev.entrapbx.sync.graph.GraphDirectory;
import dev.entrapbx.graph.GraphException;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * The page reader: pages through {@code /users/delta} (a new round, or from a stored delta link;
 * an expired link falls back to a full round) and hands each page's in-scope users to the writer.
 * The next page is fetched (and parsed) on another thread while this one is written, so Graph's
 * latency overlaps with the database's; at most two pages are in memory.
 */
final class DeltaReader implements AutoCloseable {

    /** Graph's limit of ids per {@code $filter=id in (...)}. */
    private static final int IDS_PER_QUERY = 15;

    private final GraphDirectory graph;
    private final EntraUserMapper mapper;
    private final RunLog run;
    private final ExecutorService fetcher = Executors.newSingleThreadExecutor(RunThreads.daemon("entra-pbx-sync-fetch-"));

    DeltaReader(GraphDirectory graph, EntraUserMapper mapper, RunLog run) {
        this.graph = graph;
        this.mapper = mapper;
        this.run = run;
    }

    /** A round from {@code deltaLink} (null: a new, full round); an expired link is noted and a full round read instead. */
    DeltaRound read(String deltaLink, SyncScope scope, Consumer<List<EntraUser>> writer) {
        boolean full = deltaLink == null;
        try {
            return round(deltaLink, full, scope, writer);
        } catch (GraphException e) {
            if (full || !e.deltaTokenExpired()) {
                throw e;
            }
            run.note("The stored delta link has expired (" + e.code() + "): ran a full sync instead.");
            return round(null, true, scope, writer);
        }
    }

    private DeltaRound round(String startLink, boolean full, SyncScope scope, Consumer<List<EntraUser>> writer) {
        DeltaRound round = new DeltaRound(full);
        GraphDirectory.DeltaPage page = graph.usersDelta(startLink, mapper.selectedProperties());
        while (true) {
            String nextLink = page.nextLink();
            Future<GraphDirectory.DeltaPage> next = nextLink == null ? null
                    : fetcher.submit(() -> graph.usersDelta(nextLink, mapper.selectedProperties()));
            run.pages++;
            try {
                DeltaRound.Accepted accepted = round.accept(page.users(), scope);
                run.skipped += accepted.excluded();
                writer.accept(accepted.toImport());
            } catch (RuntimeException e) {
                if (next != null) {
                    next.cancel(true);
                }
                throw e;
            }
            run.checkpoint();
            if (next == null) {
                round.deltaLink = page.deltaLink();
                return round;
            }
            page = RunThreads.await(next);
        }
    }

    /**
     * Group or filter scope: the members that entered the scope without any change of their own
     * (so the delta did not report them) are fetched by id, marked seen and written.
     */
    void readEntered(DeltaRound round, SyncScope scope, Collection<String> synced, Consumer<List<EntraUser>> writer) {
        for (List<String> ids : LocalUsers.chunks(scope.entered(round.seen, synced), IDS_PER_QUERY)) {
            List<EntraUser> users = graph.usersById(ids, mapper.selectedProperties());
            for (EntraUser u : users) {
                round.seen.add(u.id());
            }
            writer.accept(users);
        }
    }

    @Override
    public void close() {
        fetcher.shutdownNow();
    }
}
