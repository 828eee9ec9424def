package dev.entrapbx.simulator.graph;

import java.util.Map;

/** A Graph error to answer with: HTTP status, Graph error code and message. */
public final class GraphException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final transient Map<String, String> headers;

    public GraphException(int status, String code, String message) {
        this(status, code, message, Map.of());
    }

    public GraphException(int status, String code, String message, Map<String, String> headers) {
        super(message);
        this.status = status;
        this.code = code;
        this.headers = headers;
    }

    public int status() { return status; }
    public String code() { return code; }
    public Map<String, String> headers() { return headers; }

    public static GraphException badRequest(String code, String message) {
        return new GraphException(400, code, message);
    }

    public static GraphException unsupportedQuery(String message) {
        return new GraphException(400, "Request_UnsupportedQuery", message);
    }

    public static GraphException notFound(String id) {
        return new GraphException(404, "Request_ResourceNotFound", "Resource '" + id
                + "' does not exist or one of its queried reference-property objects are not present.");
    }

    public static GraphException forbidden() {
        return new GraphException(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
    }
}
