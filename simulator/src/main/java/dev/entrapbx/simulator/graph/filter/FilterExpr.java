package dev.entrapbx.simulator.graph.filter;

import java.util.List;

/** Abstract syntax of the OData $filter subset the simulator understands. */
public sealed interface FilterExpr {
    /** Comparison operators. */
    enum Op { EQ, NE }

    /** String functions. */
    enum Function { STARTS_WITH, ENDS_WITH }

    /** {@code left and right}. */
    record And(FilterExpr left, FilterExpr right) implements FilterExpr { }

    /** {@code left or right}. */
    record Or(FilterExpr left, FilterExpr right) implements FilterExpr { }

    /** {@code not inner}. */
    record Not(FilterExpr inner) implements FilterExpr { }

    /** {@code property eq|ne literal}; literal is a String, a Boolean or null. */
    record Compare(String property, Op op, Object literal) implements FilterExpr { }

    /** {@code property in (literal, ...)}. */
    record In(String property, List<Object> literals) implements FilterExpr { }

    /** {@code startswith(property, 'x')} / {@code endswith(property, 'x')}. */
    record StringFunction(Function function, String property, String value) implements FilterExpr { }
}
