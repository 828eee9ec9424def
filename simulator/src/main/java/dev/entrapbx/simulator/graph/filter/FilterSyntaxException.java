package dev.entrapbx.simulator.graph.filter;

/** A $filter that cannot be parsed or does not fit the object type. */
public final class FilterSyntaxException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public FilterSyntaxException(String message) {
        super(message);
    }
}
