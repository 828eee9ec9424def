package dev.entrapbx.simulator.graph.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Static facts about a filter: whether it needs advanced query parameters, or only selects ids. */
public final class FilterAnalysis {
    private FilterAnalysis() { }

    /**
     * The first construct that Graph supports only in advanced queries (ConsistencyLevel: eventual + $count=true):
     * {@code ne}, {@code not}, {@code endsWith}, and the onPremisesExtensionAttributes properties.
     * https://learn.microsoft.com/graph/aad-advanced-queries
     */
    public static Optional<String> advancedConstruct(FilterExpr expr) {
        if (expr instanceof FilterExpr.And and) {
            return advancedConstruct(and.left()).or(() -> advancedConstruct(and.right()));
        }
        if (expr instanceof FilterExpr.Or or) {
            return advancedConstruct(or.left()).or(() -> advancedConstruct(or.right()));
        }
        if (expr instanceof FilterExpr.Not) {
            return Optional.of("Operator 'not'");
        }
        if (expr instanceof FilterExpr.Compare cmp) {
            return extension(cmp.property())
                    .or(() -> cmp.op() == FilterExpr.Op.NE ? Optional.of("Operator 'ne'") : Optional.empty());
        }
        if (expr instanceof FilterExpr.In in) {
            return extension(in.property());
        }
        FilterExpr.StringFunction fn = (FilterExpr.StringFunction) expr;
        return extension(fn.property()).or(() -> fn.function() == FilterExpr.Function.ENDS_WITH
                ? Optional.of("Operator 'endsWith'") : Optional.empty());
    }

    /** The ids when the filter is only {@code id eq '...'} terms joined by {@code or} and/or {@code id in (...)}. */
    public static Optional<List<String>> onlyIds(FilterExpr expr) {
        List<String> ids = new ArrayList<>();
        return collectIds(expr, ids) ? Optional.of(ids) : Optional.empty();
    }

    private static boolean collectIds(FilterExpr expr, List<String> ids) {
        if (expr instanceof FilterExpr.Or or) {
            return collectIds(or.left(), ids) && collectIds(or.right(), ids);
        }
        if (expr instanceof FilterExpr.Compare cmp) {
            if (!"id".equals(cmp.property()) || cmp.op() != FilterExpr.Op.EQ || !(cmp.literal() instanceof String s)) {
                return false;
            }
            ids.add(s.toLowerCase(Locale.ROOT));
            return true;
        }
        if (expr instanceof FilterExpr.In in) {
            if (!"id".equals(in.property())) {
                return false;
            }
            for (Object l : in.literals()) {
                if (!(l instanceof String s)) {
                    return false;
                }
                ids.add(s.toLowerCase(Locale.ROOT));
            }
            return true;
        }
        return false;
    }

    private static Optional<String> extension(String property) {
        return property.startsWith("onPremisesExtensionAttributes/")
                ? Optional.of("Property '" + property + "'") : Optional.empty();
    }
}
