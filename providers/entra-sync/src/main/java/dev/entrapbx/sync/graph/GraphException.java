package dev.entrapbx.sync.graph;

/**
 * {@link dev.entrapbx.graph.GraphException} (entra-graph) under its former name: what
 * {@link GraphDirectory} throws, so code that catches this name keeps catching it. Catch
 * {@link dev.entrapbx.graph.GraphException} instead; once nothing names this class, it goes and
 * GraphDirectory throws the entra-graph one.
 */
public class GraphException extends dev.entrapbx.graph.GraphException {

    public GraphException(String message, int status, String code, Throwable cause) {
        super(message, status, code, cause);
    }
}
