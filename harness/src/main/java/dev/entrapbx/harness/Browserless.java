package dev.entrapbx.harness;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;

/**
 * A cookie-keeping HTTP "browser" for driving login flows over HTTP (integration tests and
 * benchmarks): follows redirects one hop
 * at a time (so a test can stop at any URL), reads and submits HTML forms.
 */
public final class Browserless {

    private static final Pattern FORM = Pattern.compile("<form\\b([^>]*)>(.*?)</form>", Pattern.DOTALL | Pattern.CASE_INSENSITIVE);
    private static final Pattern INPUT = Pattern.compile("<input\\b([^>]*)>", Pattern.CASE_INSENSITIVE);
    private static final Pattern ATTR = Pattern.compile("([a-zA-Z_:-]+)\\s*=\\s*\"([^\"]*)\"");

    private final HttpClient http;
    /**
     * Cookies per host, name -> value. Hand-made because java.net.CookieManager does not match
     * cookies of a dot-less host such as "localhost". Paths are ignored: every cookie of a host is
     * sent to it, which is enough for driving a login.
     */
    private final Map<String, Map<String, String>> cookies = new java.util.concurrent.ConcurrentHashMap<>();

    /** Where a request really goes (default: its own URI); a cluster test sends the next request to a chosen node. */
    private volatile java.util.function.UnaryOperator<URI> route = java.util.function.UnaryOperator.identity();

    /** Every later request goes to {@code route.apply(its URI)}, e.g. the load balancer's address rewritten to one node's. */
    public Browserless route(java.util.function.UnaryOperator<URI> route) {
        this.route = java.util.Objects.requireNonNull(route);
        return this;
    }

    public Browserless(SSLContext trust) {
        this.http = HttpClient.newBuilder()
                .sslContext(trust)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    /** The page or redirect a request ended on. */
    public record Page(int status, URI uri, String body, String location) {
        public boolean isRedirect() {
            return status >= 300 && status < 400 && location != null;
        }

        public URI next() {
            return uri.resolve(location);
        }

        public Map<String, String> query() {
            return Browserless.query(uri);
        }
    }

    public Page get(URI uri) {
        return send(HttpRequest.newBuilder(uri).GET());
    }

    public Page post(URI uri, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** Follows redirects until one leaves for a URL starting with {@code stopAt}, or a page that is not a redirect. */
    public Page follow(Page page, String stopAt) {
        int hops = 0;
        while (page.isRedirect() && !page.next().toString().startsWith(stopAt)) {
            if (++hops > 20) {
                throw new IllegalStateException("Redirect loop at " + page.uri());
            }
            page = get(page.next());
        }
        return page;
    }

    /** Submits the first form of the page that has an input named {@code marker}, with the given values. */
    public Page submit(Page page, String marker, Map<String, String> values) {
        Matcher f = FORM.matcher(page.body());
        while (f.find()) {
            Map<String, String> attrs = attrs(f.group(1));
            Map<String, String> fields = new LinkedHashMap<>();
            Matcher i = INPUT.matcher(f.group(2));
            while (i.find()) {
                Map<String, String> in = attrs(i.group(1));
                if (in.containsKey("name")) {
                    fields.put(in.get("name"), in.getOrDefault("value", ""));
                }
            }
            if (fields.containsKey(marker)) {
                fields.putAll(values);
                String action = unescape(attrs.getOrDefault("action", page.uri().toString()));
                return post(page.uri().resolve(action), fields);
            }
        }
        throw new IllegalStateException("No form with field '" + marker + "' on " + page.uri() + ":\n" + page.body());
    }

    private Page send(HttpRequest.Builder request) {
        request.uri(route.apply(request.copy().build().uri()));
        HttpRequest probe = request.copy().build();
        Map<String, String> jar = cookies.computeIfAbsent(probe.uri().getHost(), h -> new java.util.concurrent.ConcurrentHashMap<>());
        if (!jar.isEmpty()) {
            request.header("Cookie", jar.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("; ")));
        }
        HttpRequest r = request.timeout(Duration.ofSeconds(30)).build();
        try {
            HttpResponse<String> resp = http.send(r, HttpResponse.BodyHandlers.ofString());
            for (String setCookie : resp.headers().allValues("Set-Cookie")) {
                String[] parts = setCookie.split(";");
                int eq = parts[0].indexOf('=');
                if (eq <= 0) {
                    continue;
                }
                String name = parts[0].substring(0, eq).trim();
                String value = parts[0].substring(eq + 1).trim();
                boolean expired = java.util.Arrays.stream(parts).map(String::trim).map(String::toLowerCase)
                        .anyMatch(a -> a.equals("max-age=0") || a.startsWith("expires=thu, 01 jan 1970") || a.startsWith("expires=thu, 01-jan-1970"));
                if (expired || value.isEmpty()) {
                    jar.remove(name);
                } else {
                    jar.put(name, value);
                }
            }
            return new Page(resp.statusCode(), r.uri(), resp.body(), resp.headers().firstValue("Location").orElse(null));
        } catch (IOException e) {
            throw new IllegalStateException(r.method() + " " + r.uri() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static Map<String, String> query(URI uri) {
        Map<String, String> q = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null) {
            return q;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            q.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return q;
    }

    private static Map<String, String> attrs(String tag) {
        Map<String, String> m = new LinkedHashMap<>();
        Matcher a = ATTR.matcher(tag);
        while (a.find()) {
            m.put(a.group(1).toLowerCase(), unescape(a.group(2)));
        }
        return m;
    }

    private static String unescape(String s) {
        return s.replace("&amp;", "&").replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&#x2F;", "/").replace("&#47;", "/");
    }

    public static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
