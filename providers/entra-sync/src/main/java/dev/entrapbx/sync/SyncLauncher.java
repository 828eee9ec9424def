package dev.entrapbx.sync;

import dev.entrapbx.core.AppTokens;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.storage.UserStorageProviderModel;
import org.keycloak.storage.user.SynchronizationResult;

/**
 * Starts a component's sync from admin REST ({@code POST .../entra-sync/{id}/sync}, a change
 * notification). No two runs of one component overlap in a cluster, whoever started them: every
 * run first claims the component in the database ({@link RunLog#start}, a lease its node renews;
 * Keycloak's own lock for the schedule and the console's buttons lasts only 30 s or one period,
 * shorter than a long run, and is held forever by a node that died). A run started from admin REST runs
 * on one of this server's background threads and the request answers with its id at once, so a
 * long full sync no longer meets the HTTP request timeout.
 */
public final class SyncLauncher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SyncLauncher.class);

    /** Runs started from admin REST at once on one server; a further start is refused until one ends. */
    public static final int MAX_BACKGROUND_RUNS = 8;

    /** What a start request got. */
    public sealed interface Start {
        /** The run is RUNNING under this id. */
        record Started(String runId) implements Start {
        }

        /** Another run of the component holds the lock (its id when this node's run log shows it). */
        record Busy(String runningRunId) implements Start {
        }

        /** This server runs {@link #MAX_BACKGROUND_RUNS} admin-started syncs already. */
        record Saturated(int running) implements Start {
        }
    }

    private final ThreadPoolExecutor background = new ThreadPoolExecutor(0, MAX_BACKGROUND_RUNS, 60, TimeUnit.SECONDS,
            new SynchronousQueue<>(), RunThreads.daemon("entra-pbx-sync-run-"));

    /**
     * Starts a run in the background and answers once it is RUNNING in the run log (or refused).
     *
     * @param wait how long to wait for the run to start; past it the run is reported started (its row follows)
     */
    public Start start(KeycloakSessionFactory sessions, String realmId, UserStorageProviderModel model, EntraSync.Trigger trigger,
                       EntraSync.Settings settings, AppTokens tokens, Duration wait) {
        String runId = KeycloakModelUtils.generateId();
        CompletableFuture<Boolean> started = new CompletableFuture<>();
        try {
            background.execute(() -> {
                try {
                    SynchronizationResult result = new EntraSync(sessions, realmId, model, settings, tokens, Clock.systemUTC())
                            .run(trigger, runId, () -> started.complete(true));
                    started.complete(!result.isIgnored()); // ignored: another run holds the component
                } catch (RuntimeException e) {
                    started.completeExceptionally(e);
                    LOG.errorf(e, "Entra sync '%s' (realm %s) started from admin REST failed", model.getName(), realmId);
                }
            });
        } catch (RejectedExecutionException e) {
            return new Start.Saturated(background.getActiveCount());
        }
        try {
            if (started.get(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                return new Start.Started(runId);
            }
            return new Start.Busy(RunLog.runningRunId(sessions, model.getId()));
        } catch (TimeoutException e) {
            return new Start.Started(runId);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the sync", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(RunLog.describe(e.getCause()), e.getCause());
        }
    }

    @Override
    public void close() {
        background.shutdownNow();
    }
}
