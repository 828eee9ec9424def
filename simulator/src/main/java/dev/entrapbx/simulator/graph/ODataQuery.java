package dev.entrapbx.simulator.graph;

import dev.entrapbx.simulator.graph.filter.FilterAnalysis;
import dev.entrapbx.simulator.graph.filter.FilterExpr;
import dev.entrapbx.simulator.graph.filter.FilterParser;
import dev.entrapbx.simulator.graph.filter.FilterSyntaxException;
import dev.entrapbx.simulator.http.Request;
import dev.entrapbx.simulator.model.PropertyDef;
import dev.entrapbx.simulator.model.Schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** The OData system query options of a Graph list request ($select, $top, $filter, $count) and their rules. */
final class ODataQuery {
    static final int DEFAULT_PAGE = 100;
    static final int MAX_PAGE = 999;

    private final List<String> select;
    private final Integer top;
    private final FilterExpr filter;
    private final boolean count;
    private final boolean eventual;

    private ODataQuery(List<String> select, Integer top, FilterExpr filter, boolean count, boolean eventual) {
        this.select = select;
        this.top = top;
        this.filter = filter;
        this.count = count;
        this.eventual = eventual;
    }

    /**
     * Parses and validates the options.
     *
     * @param extraSelectable names accepted in $select besides the schema's properties (e.g. "members" for delta)
     */
    static ODataQuery parse(Request req, Schema schema, Set<String> extraSelectable) {
        for (String unsupported : List.of("$orderby", "$expand", "$search")) {
            if (req.hasQuery(unsupported)) {
                throw GraphException.unsupportedQuery("The query option " + unsupported
                        + " is not supported by the Entra simulator.");
            }
        }
        List<String> select = req.query("$select").filter(s -> !s.isBlank()).map(s -> parseSelect(s, schema, extraSelectable))
                .orElse(null);
        Integer top = req.query("$top").map(ODataQuery::parseTop).orElse(null);
        FilterExpr filter = req.query("$filter").filter(s -> !s.isBlank()).map(f -> parseFilter(f, schema)).orElse(null);
        boolean count = req.query("$count").map(v -> v.equalsIgnoreCase("true")).orElse(false);
        boolean eventual = req.header("ConsistencyLevel").map(v -> v.equalsIgnoreCase("eventual")).orElse(false);
        return new ODataQuery(select, top, filter, count, eventual);
    }

    static List<String> parseSelect(String raw, Schema schema, Set<String> extraSelectable) {
        List<String> out = new ArrayList<>();
        for (String part : raw.split(",")) {
            String name = part.trim();
            if (name.isEmpty()) {
                continue;
            }
            if (extraSelectable.contains(name.toLowerCase(Locale.ROOT))) {
                out.add(name.toLowerCase(Locale.ROOT));
                continue;
            }
            Optional<PropertyDef> def = schema.property(name);
            if (def.isEmpty()) {
                throw GraphException.badRequest("BadRequest", "Could not find a property named '" + name
                        + "' on type 'microsoft.graph." + schema.odataName() + "'.");
            }
            if (!out.contains(def.get().name())) {
                out.add(def.get().name());
            }
        }
        return List.copyOf(out);
    }

    private static Integer parseTop(String raw) {
        int n;
        try {
            n = Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw GraphException.badRequest("BadRequest", "Invalid value '" + raw + "' for query option $top.");
        }
        if (n < 1 || n > MAX_PAGE) {
            throw GraphException.unsupportedQuery("Invalid page size specified: '" + n
                    + "'. Must be between 1 and " + MAX_PAGE + " inclusive.");
        }
        return n;
    }

    static FilterExpr parseFilter(String raw, Schema schema) {
        try {
            return FilterParser.parse(raw, schema);
        } catch (FilterSyntaxException e) {
            throw GraphException.badRequest("BadRequest", e.getMessage());
        }
    }

    /** Selected properties, or null when no $select was given. */
    List<String> select() { return select; }

    List<String> selectOrDefault(Schema schema) {
        return select != null ? select : schema.defaultSelect();
    }

    Integer top() { return top; }

    int pageSize() { return top == null ? DEFAULT_PAGE : top; }

    FilterExpr filter() { return filter; }

    /** $count=true together with ConsistencyLevel: eventual (without the header Graph ignores $count). */
    boolean advanced() { return count && eventual; }

    /** Graph refuses advanced-only filter constructs without the advanced query parameters. */
    void requireAdvancedParametersWhenNeeded() {
        if (filter == null || advanced()) {
            return;
        }
        // https://learn.microsoft.com/graph/aad-advanced-queries#error-handling-for-advanced-queries-on-directory-objects
        FilterAnalysis.advancedConstruct(filter).ifPresent(construct -> {
            throw GraphException.unsupportedQuery(construct + " is not supported because the required parameters "
                    + "might be missing. Try adding $count=true query parameter and ConsistencyLevel:eventual header. "
                    + "Refer to https://aka.ms/graph-docs/advanced-queries for more information");
        });
    }
}
