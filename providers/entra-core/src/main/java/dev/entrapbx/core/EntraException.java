package dev.entrapbx.core;

/** A failed call to Entra ID or Microsoft Graph, with a message an admin can act on. */
public class EntraException extends RuntimeException {

    private final int status;
    private final String code;

    public EntraException(String message, int status, String code, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.code = code;
    }

    /** HTTP status, or 0 when no response arrived. */
    public int status() {
        return status;
    }

    /** Entra / Graph error code (e.g. invalid_client, Authorization_RequestDenied), or null. */
    public String code() {
        return code;
    }
}
