package dev.entrapbx.onboarding;

import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.theme.Theme;

/**
 * A page the customer's admin sees during onboarding, in the realm's login theme (so with the
 * partner's brand): template {@value #TEMPLATE} of the entra-pbx theme, or, for a realm on another
 * login theme, plain HTML with the same text ({@link #plainHtml}). Values are text, escaped by the template.
 */
final class Page {

    static final String TEMPLATE = "entrapbx-onboarding.ftl";
    private static final Logger LOG = Logger.getLogger(Page.class);

    private final String id;
    private final String title;
    private final String intro;
    private final List<Map<String, String>> facts = new ArrayList<>();
    private final List<String> items = new ArrayList<>();
    private String itemsTitle;
    private String action;
    private String actionLabel;
    private String link;
    private String linkLabel;
    private String note;
    private int refreshSeconds;
    private Response.Status status = Response.Status.OK;

    private Page(String id, String title, String intro) {
        this.id = id;
        this.title = title;
        this.intro = intro;
    }

    /** {@code id} names the page for tests and support (element id {@code onboarding-<id>}). */
    static Page of(String id, String title, String intro) {
        return new Page(id, title, intro);
    }

    Page fact(String label, String value) {
        if (value != null && !value.isBlank()) {
            Map<String, String> f = new LinkedHashMap<>();
            f.put("label", label);
            f.put("value", value);
            facts.add(f);
        }
        return this;
    }

    Page items(String title, List<String> list) {
        this.itemsTitle = title;
        this.items.addAll(list);
        return this;
    }

    /** A button that POSTs to {@code url}. */
    Page action(String url, String label) {
        this.action = url;
        this.actionLabel = label;
        return this;
    }

    Page link(String url, String label) {
        this.link = url;
        this.linkLabel = label;
        return this;
    }

    Page note(String text) {
        this.note = text;
        return this;
    }

    Page refresh(int seconds) {
        this.refreshSeconds = seconds;
        return this;
    }

    Page status(Response.Status s) {
        this.status = s;
        return this;
    }

    String id() {
        return id;
    }

    Map<String, Object> model() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("title", title);
        m.put("intro", intro);
        m.put("facts", facts);
        m.put("items", items);
        m.put("itemsTitle", itemsTitle == null ? "" : itemsTitle);
        m.put("action", action == null ? "" : action);
        m.put("actionLabel", actionLabel == null ? "" : actionLabel);
        m.put("link", link == null ? "" : link);
        m.put("linkLabel", linkLabel == null ? "" : linkLabel);
        m.put("note", note == null ? "" : note);
        m.put("refresh", refreshSeconds);
        return m;
    }

    Response render(KeycloakSession session) {
        LoginFormsProvider forms = session.getProvider(LoginFormsProvider.class);
        Response r;
        if (themeHasTemplate(session)) {
            r = forms.setAttribute("onboarding", model()).setStatus(status).createForm(TEMPLATE);
        } else {
            r = Response.status(status).type("text/html; charset=utf-8").entity(plainHtml()).build();
        }
        return Response.fromResponse(r).status(status).header("Cache-Control", "no-store").header("Referrer-Policy", "no-referrer").build();
    }

    /**
     * The page without the entra-pbx theme: plain HTML with the same text and the same POST button
     * (Keycloak's info page could offer only a link, and the consent round must not start on a GET).
     */
    String plainHtml() {
        StringBuilder b = new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        if (refreshSeconds > 0) {
            b.append("<meta http-equiv=\"refresh\" content=\"").append(refreshSeconds).append("\">");
        }
        b.append("<title>").append(esc(title)).append("</title><style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;"
                + "padding:0 1rem;line-height:1.5}dt{font-weight:600}dd{margin:0 0 .5rem}button{font:inherit;padding:.5rem 1rem}</style></head>");
        b.append("<body><main id=\"onboarding-").append(esc(id)).append("\"><h1 id=\"kc-page-title\">").append(esc(title)).append("</h1>");
        b.append("<p id=\"onboarding-intro\">").append(esc(intro)).append("</p>");
        if (!facts.isEmpty()) {
            b.append("<dl id=\"onboarding-facts\">");
            facts.forEach(f -> b.append("<dt>").append(esc(f.get("label"))).append("</dt><dd>").append(esc(f.get("value"))).append("</dd>"));
            b.append("</dl>");
        }
        if (!items.isEmpty()) {
            b.append("<p>").append(esc(itemsTitle)).append("</p><ul id=\"onboarding-items\">");
            items.forEach(i -> b.append("<li>").append(esc(i)).append("</li>"));
            b.append("</ul>");
        }
        if (action != null) {
            b.append("<form method=\"post\" action=\"").append(esc(action)).append("\"><button id=\"onboarding-continue\" type=\"submit\">")
                    .append(esc(actionLabel)).append("</button></form>");
        }
        if (link != null) {
            b.append("<p><a id=\"onboarding-link\" href=\"").append(esc(link)).append("\">").append(esc(linkLabel)).append("</a></p>");
        }
        if (note != null) {
            b.append("<p id=\"onboarding-note\">").append(esc(note)).append("</p>");
        }
        return b.append("</main></body></html>").toString();
    }

    private static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean themeHasTemplate(KeycloakSession session) {
        try {
            Theme theme = session.theme().getTheme(Theme.Type.LOGIN);
            return theme.getTemplate(TEMPLATE) != null;
        } catch (IOException | RuntimeException e) {
            LOG.debugf("Login theme lookup failed: %s", e.toString());
            return false;
        }
    }
}
