package dev.entrapbx.simulator.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps method + path templates to handlers. Templates use {@code {name}} for one path segment and
 * {@code {name:regex}} for a custom pattern.
 */
public final class Router {
    private static final Pattern VARIABLE = Pattern.compile("\\{([A-Za-z][A-Za-z0-9]*)(?::([^}]+))?}");

    private record Route(String method, Pattern pattern, List<String> variables, Handler handler) { }

    /** A matched route: its handler and the variables taken from the path. */
    public record Match(Handler handler, Map<String, String> variables) { }

    private final List<Route> routes = new ArrayList<>();

    public Router get(String template, Handler handler) { return add("GET", template, handler); }
    public Router post(String template, Handler handler) { return add("POST", template, handler); }
    public Router put(String template, Handler handler) { return add("PUT", template, handler); }
    public Router patch(String template, Handler handler) { return add("PATCH", template, handler); }
    public Router delete(String template, Handler handler) { return add("DELETE", template, handler); }

    public Router add(String method, String template, Handler handler) {
        List<String> names = new ArrayList<>();
        StringBuilder regex = new StringBuilder("^");
        Matcher m = VARIABLE.matcher(template);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(template.substring(last, m.start())));
            names.add(m.group(1));
            regex.append('(').append(m.group(2) != null ? m.group(2) : "[^/]+").append(')');
            last = m.end();
        }
        regex.append(Pattern.quote(template.substring(last))).append('$');
        routes.add(new Route(method, Pattern.compile(regex.toString()), names, handler));
        return this;
    }

    /** The route for a request; a trailing slash is ignored (Graph's docs show {@code /users/delta/?$filter=}). */
    public Optional<Match> match(String method, String path) {
        Optional<Match> exact = matchExactly(method, path);
        if (exact.isEmpty() && path.length() > 1 && path.endsWith("/")) {
            return matchExactly(method, path.substring(0, path.length() - 1));
        }
        return exact;
    }

    private Optional<Match> matchExactly(String method, String path) {
        for (Route route : routes) {
            if (!route.method.equals(method) && !("HEAD".equals(method) && "GET".equals(route.method))) {
                continue;
            }
            Matcher m = route.pattern.matcher(path);
            if (m.matches()) {
                Map<String, String> vars = new LinkedHashMap<>();
                for (int i = 0; i < route.variables.size(); i++) {
                    vars.put(route.variables.get(i), m.group(i + 1));
                }
                return Optional.of(new Match(route.handler, vars));
            }
        }
        return Optional.empty();
    }

    /** True when the path exists for some other method (for 405 answers). */
    public boolean pathExists(String path) {
        return routes.stream().anyMatch(r -> r.pattern.matcher(path).matches());
    }
}
