package dev.entrapbx.sync.graph;

/** A Graph call that failed after retries, with Graph's status and error code when it answered. */
public class GraphException extends RuntimeException {

    private final int status;
    private final String code;

    public GraphException(String message, int status, String code, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The delta (or skip) token is no longer known to Graph: start again with a full round. */
    public boolean deltaTokenExpired() {
        return status == 410 || (status == 400 && "syncStateNotFound".equalsIgnoreCase(code))
                || (status == 400 && "resyncRequired".equalsIgnoreCase(code));
    }
}
