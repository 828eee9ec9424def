package dev.entrapbx.graph;

import dev.entrapbx.core.EntraException;

/** A Graph call that failed after retries, with Graph's status and error code when it answered. */
public class GraphException extends EntraException {

    public GraphException(String message, int status, String code, Throwable cause) {
        super(message, status, code, cause);
    }

    /** The delta (or skip) token is no longer known to Graph: start again with a full round. */
    public boolean deltaTokenExpired() {
        return status() == 410 || (status() == 400 && ("syncStateNotFound".equalsIgnoreCase(code()) || "resyncRequired".equalsIgnoreCase(code())));
    }
}
