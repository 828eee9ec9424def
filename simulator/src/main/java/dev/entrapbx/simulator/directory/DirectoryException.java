package dev.entrapbx.simulator.directory;

/** A directory operation that cannot be carried out; {@link #reason()} tells callers which HTTP status fits. */
public final class DirectoryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why the operation failed. */
    public enum Reason { NOT_FOUND, CONFLICT, INVALID }

    private final Reason reason;

    public DirectoryException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public static DirectoryException notFound(String message) {
        return new DirectoryException(Reason.NOT_FOUND, message);
    }

    public static DirectoryException conflict(String message) {
        return new DirectoryException(Reason.CONFLICT, message);
    }

    public static DirectoryException invalid(String message) {
        return new DirectoryException(Reason.INVALID, message);
    }

    public Reason reason() {
        return reason;
    }
}
