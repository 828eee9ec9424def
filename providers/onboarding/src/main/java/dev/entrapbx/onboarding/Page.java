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
 * login theme, Keycloak's info page with the same text. Values are text, escaped by the template.
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
            StringBuilder text = new StringBuilder(intro);
            facts.forEach(f -> text.append(' ').append(f.get("label")).append(": ").append(f.get("value")).append('.'));
            if (!items.isEmpty()) {
                text.append(' ').append(itemsTitle).append(' ').append(String.join("; ", items)).append('.');
            }
            if (note != null) {
                text.append(' ').append(note);
            }
            forms.setAttribute("messageHeader", title);
            if (action != null) {
                forms.setAttribute("actionUri", action);
            } else if (link != null) {
                forms.setAttribute("actionUri", link);
            }
            r = forms.setInfo(text.toString()).setStatus(status).createInfoPage();
        }
        return Response.fromResponse(r).status(status).header("Cache-Control", "no-store").header("Referrer-Policy", "no-referrer").build();
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
