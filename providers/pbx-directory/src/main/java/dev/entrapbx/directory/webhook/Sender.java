package dev.entrapbx.directory.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.net.ConnectException;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * Sends one signed delivery: POST with the Standard Webhooks headers, connect and response
 * timeouts, redirects not followed, at most {@value #READ_LIMIT} bytes of the answer read (only what has
 * already arrived: the body is never waited for).
 */
final class Sender {

    /** Result of one attempt: the HTTP status, or the error that prevented one. */
    record Outcome(Integer status, String error, long durationMillis) {
        boolean delivered() {
            return status != null && status >= 200 && status < 300;
        }
    }

    static final int READ_LIMIT = 1024;
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
        try {
            HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                // what has arrived, at most READ_LIMIT bytes, without waiting: the status is what counts, and a
                // receiver that stalls its body must not hold a worker (the request timeout ends at the headers)
                int ready = Math.min(in.available(), READ_LIMIT);
                if (ready > 0) {
                    in.readNBytes(ready);
                }
            } catch (IOException e) {
                // the status is what counts
            }
            return new Outcome(r.statusCode(), null, millisSince(t0));
        } catch (HttpTimeoutException e) {
            return new Outcome(null, "timeout: " + e.getMessage(), millisSince(t0));
        } catch (ConnectException e) {
            return new Outcome(null, "connection refused or unreachable: " + url.getHost() + ":" + port(url), millisSince(t0));
        } catch (SSLException e) {
            return new Outcome(null, "TLS: " + e.getMessage(), millisSince(t0));
        } catch (IOException e) {
            return new Outcome(null, e.getClass().getSimpleName() + ": " + e.getMessage(), millisSince(t0));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(null, "interrupted (server stopping)", millisSince(t0));
        }
    }

    private static int port(URI url) {
        return url.getPort() < 0 ? 443 : url.getPort();
    }

    private static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
