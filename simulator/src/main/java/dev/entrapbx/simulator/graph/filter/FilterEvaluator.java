package dev.entrapbx.simulator.graph.filter;

import dev.entrapbx.simulator.model.DirectoryObject;

import java.util.Locale;
import java.util.Objects;

/** Evaluates a parsed filter against a directory object; string comparisons ignore case, as directory queries do. */
public final class FilterEvaluator {
    private FilterEvaluator() { }

    public static boolean matches(FilterExpr expr, DirectoryObject object) {
        if (expr instanceof FilterExpr.And and) {
            return matches(and.left(), object) && matches(and.right(), object);
        }
        if (expr instanceof FilterExpr.Or or) {
            return matches(or.left(), object) || matches(or.right(), object);
        }
        if (expr instanceof FilterExpr.Not not) {
            return !matches(not.inner(), object);
        }
        if (expr instanceof FilterExpr.Compare cmp) {
            boolean equal = same(object.get(cmp.property()), cmp.literal());
            return cmp.op() == FilterExpr.Op.EQ ? equal : !equal;
        }
        if (expr instanceof FilterExpr.In in) {
            Object value = object.get(in.property());
            return in.literals().stream().anyMatch(l -> same(value, l));
        }
        FilterExpr.StringFunction fn = (FilterExpr.StringFunction) expr;
        Object v = object.get(fn.property());
        if (!(v instanceof String s)) {
            return false;
        }
        String a = s.toLowerCase(Locale.ROOT);
        String b = fn.value().toLowerCase(Locale.ROOT);
        return fn.function() == FilterExpr.Function.STARTS_WITH ? a.startsWith(b) : a.endsWith(b);
    }

    private static boolean same(Object value, Object literal) {
        if (value instanceof String s && literal instanceof String l) {
            return s.equalsIgnoreCase(l);
        }
        return Objects.equals(value, literal);
    }
}
