package dev.entrapbx.directory.webhook;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * Sends one signed delivery: POST with the Standard Webhooks headers, connect and response
 * timeouts, redirects not followed, at most {@value #READ_LIMIT} bytes of the answer read and dropped, the
 * whole exchange bounded (a receiver that stalls cannot hold a worker).
 */
final class Sender {

    /** Result of one attempt: the HTTP status, or the error that prevented one. */
    record Outcome(Integer status, String error, long durationMillis) {
        boolean delivered() {
            return status != null && status >= 200 && status < 300;
        }
    }

    static final int READ_LIMIT = 1024;
    /** The whole exchange (connect, answer, the small read) ends after this. */
    static final Duration EXCHANGE_LIMIT = WebhookOptions.CONNECT_TIMEOUT.plus(WebhookOptions.RESPONSE_TIMEOUT);
    static final String USER_AGENT = "entra-pbx-webhooks";

    private final HttpClient http;

    Sender(SSLContext tls) {
        HttpClient.Builder b = HttpClient.newBuilder()
                .connectTimeout(WebhookOptions.CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1);
        if (tls != null) {
            b.sslContext(tls);
        }
        this.http = b.build();
    }

    Outcome send(URI url, String messageId, long timestampSeconds, byte[] body, List<String> secrets) {
        long t0 = System.nanoTime();
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(WebhookOptions.RESPONSE_TIMEOUT)
                .header("Content-Type", "application/json")
                .header("User-Agent", USER_AGENT)
                .header("webhook-id", messageId)
                .header("webhook-timestamp", Long.toString(timestampSeconds))
                .header("webhook-signature", Signatures.header(messageId, timestampSeconds, body, secrets))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        CompletableFuture<HttpResponse<Void>> exchange = http.sendAsync(request, info -> new SmallRead());
        try {
            HttpResponse<Void> r = exchange.get(EXCHANGE_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            return new Outcome(r.statusCode(), null, millisSince(t0));
        } catch (TimeoutException e) {
            exchange.cancel(true);
            return new Outcome(null, "timeout: no complete answer within " + EXCHANGE_LIMIT.toSeconds() + " s", millisSince(t0));
        } catch (ExecutionException e) {
            return new Outcome(null, describe(e.getCause() == null ? e : e.getCause(), url), millisSince(t0));
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            return new Outcome(null, "interrupted (server stopping)", millisSince(t0));
        }
    }

    private static String describe(Throwable e, URI url) {
        if (e instanceof HttpTimeoutException) {
            return "timeout: " + e.getMessage();
        }
        if (e instanceof ConnectException) {
            return "connection refused or unreachable: " + url.getHost() + ":" + port(url);
        }
        if (e instanceof SSLException) {
            return "TLS: " + e.getMessage();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /**
     * The answer's body is not used: it is read and dropped up to {@value #READ_LIMIT} bytes (so the
     * connection is kept for the next delivery), and a longer one is cut off there.
     */
    private static final class SmallRead implements HttpResponse.BodySubscriber<Void> {
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private Flow.Subscription subscription;
        private long seen;

        @Override
        public CompletionStage<Void> getBody() {
            return done;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer b : items) {
                seen += b.remaining();
            }
            if (seen > READ_LIMIT) {
                subscription.cancel();
                done.complete(null);
            }
        }

        @Override
        public void onError(Throwable t) {
            done.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            done.complete(null);
        }
    }

    private static int port(URI url) {
        return url.getPort() < 0 ? 443 : url.getPort();
    }

    private static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
