package dev.entrapbx.simulator.support;

import com.fasterxml.jackson.databind.JsonNode;
import dev.entrapbx.simulator.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;

/** A small java.net.http client for tests: trusts the simulator, never follows redirects, optionally keeps cookies. */
public final class TestHttp {
    private final HttpClient client;

    public TestHttp(SSLContext ssl, boolean keepCookies) {
        HttpClient.Builder b = HttpClient.newBuilder().sslContext(ssl).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5));
        if (keepCookies) {
            b.cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL));
        }
        this.client = b.build();
    }

    public HttpClient client() {
        return client;
    }

    public HttpResponse<String> get(String url, String... headers) {
        return send(request(url, headers).GET().build());
    }

    public HttpResponse<byte[]> getBytes(String url, String... headers) {
        try {
            return client.send(request(url, headers).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> postForm(String url, Map<String, String> form, String... headers) {
        return send(request(url, headers).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(formBody(form))).build());
    }

    public HttpResponse<String> postJson(String url, String json) {
        return send(request(url).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    public HttpResponse<String> patchJson(String url, String json) {
        return send(request(url).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)).build());
    }

    public HttpResponse<String> put(String url, String contentType, byte[] body) {
        return send(request(url).header("Content-Type", contentType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    public HttpResponse<String> delete(String url) {
        return send(request(url).DELETE().build());
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static JsonNode json(HttpResponse<String> response) {
        return Json.parse(response.body());
    }

    public static String formBody(Map<String, String> form) {
        return form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static HttpRequest.Builder request(String url, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return b;
    }
}
