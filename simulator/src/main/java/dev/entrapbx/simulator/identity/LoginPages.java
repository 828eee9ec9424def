package dev.entrapbx.simulator.identity;

import java.util.List;
import java.util.Map;

/**
 * The HTML of the sign-in experience. Field names and ids follow Microsoft's page (loginfmt / i0116,
 * passwd / i0118, idSIButton9) so browser automation written against the real page also works here.
 */
final class LoginPages {
    /** An account offered by the account picker. */
    record AccountChoice(String userId, String displayName, String userPrincipalName) { }

    private LoginPages() { }

    static String loginForm(String action, String ctx, String appName, String tenantName, String login,
                            String domainHint, String error) {
        boolean passwordError = error != null && login != null && !login.isBlank();
        StringBuilder body = new StringBuilder();
        body.append("<div class=\"title\" role=\"heading\" aria-level=\"1\">Sign in</div>");
        body.append("<p class=\"sub\">to continue to <b>").append(esc(appName)).append("</b></p>");
        if (domainHint != null) {
            body.append("<p class=\"hint\" id=\"domainHint\">Signing in to <b>").append(esc(domainHint)).append("</b></p>");
        }
        if (error != null) {
            body.append("<div class=\"error\" role=\"alert\" id=\"").append(passwordError ? "passwordError" : "usernameError")
                    .append("\">").append(esc(error)).append("</div>");
        }
        body.append("<form method=\"post\" action=\"").append(esc(action)).append("\" autocomplete=\"off\">")
                .append("<input type=\"hidden\" name=\"ctx\" value=\"").append(esc(ctx)).append("\">")
                .append("<label for=\"i0116\">Email, phone, or Skype</label>")
                .append("<input type=\"email\" name=\"loginfmt\" id=\"i0116\" required autocomplete=\"username\" value=\"")
                .append(esc(login == null ? "" : login)).append("\"")
                .append(login == null || login.isBlank() ? " autofocus" : "").append(">")
                .append("<label for=\"i0118\">Password</label>")
                .append("<input type=\"password\" name=\"passwd\" id=\"i0118\" required autocomplete=\"current-password\"")
                .append(login == null || login.isBlank() ? "" : " autofocus").append(">")
                .append("<button type=\"submit\" id=\"idSIButton9\">Sign in</button>")
                .append("</form>");
        body.append("<p class=\"foot\">").append(esc(tenantName)).append("</p>");
        return page("Sign in to your account", body.toString());
    }

    static String accountPicker(String action, String ctx, String appName, List<AccountChoice> accounts,
                                String otherAccountHref) {
        StringBuilder body = new StringBuilder();
        body.append("<div class=\"title\" role=\"heading\" aria-level=\"1\">Pick an account</div>");
        body.append("<p class=\"sub\">to continue to <b>").append(esc(appName)).append("</b></p>");
        body.append("<ul class=\"tiles\">");
        for (AccountChoice a : accounts) {
            body.append("<li><form method=\"post\" action=\"").append(esc(action)).append("\">")
                    .append("<input type=\"hidden\" name=\"ctx\" value=\"").append(esc(ctx)).append("\">")
                    .append("<input type=\"hidden\" name=\"account\" value=\"").append(esc(a.userId())).append("\">")
                    .append("<button type=\"submit\" class=\"tile\" data-test-id=\"").append(esc(a.userPrincipalName()))
                    .append("\"><span class=\"name\">").append(esc(a.displayName())).append("</span>")
                    .append("<span class=\"upn\">").append(esc(a.userPrincipalName())).append("</span></button>")
                    .append("</form></li>");
        }
        body.append("<li><a class=\"tile\" id=\"otherTile\" href=\"").append(esc(otherAccountHref))
                .append("\">Use another account</a></li></ul>");
        return page("Sign in to your account", body.toString());
    }

    static String consent(String action, String ctx, String appName, String userPrincipalName, List<String> permissions) {
        StringBuilder body = new StringBuilder();
        body.append("<div class=\"title\" role=\"heading\" aria-level=\"1\">Permissions requested</div>");
        body.append("<p class=\"sub\">").append(esc(userPrincipalName)).append("</p>");
        body.append("<p><b>").append(esc(appName)).append("</b> would like to:</p><ul>");
        permissions.forEach(p -> body.append("<li>").append(esc(p)).append("</li>"));
        body.append("</ul><form method=\"post\" action=\"").append(esc(action)).append("\">")
                .append("<input type=\"hidden\" name=\"ctx\" value=\"").append(esc(ctx)).append("\">")
                .append("<button type=\"submit\" name=\"accept\" value=\"no\" id=\"idBtn_Back\">Cancel</button>")
                .append("<button type=\"submit\" name=\"accept\" value=\"yes\" id=\"idSIButton9\">Accept</button>")
                .append("</form>");
        return page("Permissions requested", body.toString());
    }

    static String error(String aadstsMessage, String requestId) {
        String body = "<div class=\"title\" role=\"heading\" aria-level=\"1\">Sign in</div>"
                + "<p>Sorry, but we're having trouble signing you in.</p>"
                + "<div class=\"error\" role=\"alert\" id=\"errorMessage\">" + esc(aadstsMessage) + "</div>"
                + "<p class=\"foot\">Request Id: " + esc(requestId) + "</p>";
        return page("Sign in to your account", body);
    }

    static String formPost(String redirectUri, Map<String, String> fields) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html><html><head><title>Working...</title></head><body>")
                .append("<form method=\"POST\" name=\"hiddenform\" action=\"").append(esc(redirectUri)).append("\">");
        fields.forEach((k, v) -> sb.append("<input type=\"hidden\" name=\"").append(esc(k)).append("\" value=\"")
                .append(esc(v)).append("\">"));
        sb.append("<noscript><p>Script is disabled. Click Submit to continue.</p>")
                .append("<input type=\"submit\" value=\"Submit\"></noscript></form>")
                .append("<script>document.forms[0].submit();</script></body></html>");
        return sb.toString();
    }

    static String signedOut() {
        return page("Sign out", "<div class=\"title\" role=\"heading\" aria-level=\"1\">You signed out of your account</div>"
                + "<p>It's a good idea to close all browser windows.</p>");
    }

    private static String page(String title, String body) {
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>" + esc(title) + "</title><style>"
                + "body{font-family:'Segoe UI',Arial,sans-serif;background:#f2f2f2;margin:0}"
                + ".card{background:#fff;max-width:440px;margin:8vh auto;padding:44px;box-shadow:0 2px 6px rgba(0,0,0,.2)}"
                + ".brand{font-weight:600;color:#5e5e5e;margin-bottom:16px}.title{font-size:24px;font-weight:600;margin:8px 0}"
                + "label{display:block;margin-top:16px;font-size:13px;color:#1b1b1b}"
                + "input[type=email],input[type=password]{width:100%;box-sizing:border-box;padding:8px 2px;border:0;"
                + "border-bottom:1px solid #666;font-size:15px}button{margin-top:24px;margin-right:8px;min-width:108px;"
                + "padding:6px 12px;background:#0067b8;color:#fff;border:0;font-size:15px;cursor:pointer}"
                + "#idBtn_Back{background:#ccc;color:#000}.error{color:#e81123;margin:12px 0}"
                + ".tiles{list-style:none;padding:0}.tile{display:block;width:100%;text-align:left;background:#fff;"
                + "color:#1b1b1b;border:0;padding:12px;margin:0}.tile:hover{background:#e6e6e6}.upn{display:block;"
                + "font-size:13px;color:#555}.foot{margin-top:24px;font-size:12px;color:#666}.hint{color:#333}"
                + "</style></head><body><main class=\"card\"><div class=\"brand\">Microsoft Entra ID (simulator)</div>"
                + body + "</main></body></html>";
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
