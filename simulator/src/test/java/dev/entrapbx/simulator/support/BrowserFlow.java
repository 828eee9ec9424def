package dev.entrapbx.simulator.support;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;

/** A cookie-keeping "browser" that walks the simulator's authorize pages the way a user would. */
public final class BrowserFlow {
    private static final Pattern FORM = Pattern.compile("<form method=\"post\" action=\"([^\"]+)\"", Pattern.CASE_INSENSITIVE);
    private static final Pattern HIDDEN = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">");

    private final TestHttp http;
    private final String baseUrl;

    public BrowserFlow(SSLContext ssl, String baseUrl) {
        this.http = new TestHttp(ssl, true);
        this.baseUrl = baseUrl;
    }

    public TestHttp http() {
        return http;
    }

    /** PKCE verifier and its S256 challenge. */
    public record Pkce(String verifier, String challenge) {
        public static Pkce create() {
            byte[] b = new byte[32];
            new SecureRandom().nextBytes(b);
            String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
            try {
                byte[] hash = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
                return new Pkce(verifier, Base64.getUrlEncoder().withoutPadding().encodeToString(hash));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    public static String authorizeUrl(String baseUrl, String tenant, Map<String, String> params) {
        return baseUrl + "/" + tenant + "/oauth2/v2.0/authorize?" + params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    public HttpResponse<String> open(String url) {
        return http.get(url);
    }

    /** Fills and posts the login form found in the page. */
    public HttpResponse<String> login(HttpResponse<String> page, String username, String password) {
        Map<String, String> fields = hiddenFields(page.body());
        fields.put("loginfmt", username);
        fields.put("passwd", password);
        return http.postForm(baseUrl + formAction(page.body()), fields);
    }

    /** Picks an account on the account picker page. */
    public HttpResponse<String> pick(HttpResponse<String> page, String userId) {
        Map<String, String> fields = hiddenFields(page.body());
        fields.put("account", userId);
        return http.postForm(baseUrl + formAction(page.body()), fields);
    }

    public HttpResponse<String> post(String action, Map<String, String> fields) {
        return http.postForm(baseUrl + action, fields);
    }

    public static String formAction(String html) {
        Matcher m = FORM.matcher(html);
        if (!m.find()) {
            throw new AssertionError("No form in page: " + html);
        }
        return m.group(1).replace("&amp;", "&");
    }

    public static Map<String, String> hiddenFields(String html) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = HIDDEN.matcher(html);
        while (m.find()) {
            out.putIfAbsent(m.group(1), m.group(2).replace("&amp;", "&").replace("&quot;", "\"").replace("&#39;", "'"));
        }
        return out;
    }

    /** Query (or fragment) parameters of a redirect's Location. */
    public static Map<String, String> redirectParams(HttpResponse<String> response) {
        String location = response.headers().firstValue("Location")
                .orElseThrow(() -> new AssertionError("Not a redirect (" + response.statusCode() + "): " + response.body()));
        URI uri = URI.create(location);
        String raw = uri.getRawQuery() != null ? uri.getRawQuery() : uri.getRawFragment();
        Map<String, String> out = new LinkedHashMap<>();
        if (raw != null) {
            for (String p : raw.split("&")) {
                int eq = p.indexOf('=');
                out.put(URLDecoder.decode(p.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(p.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
