package dev.entrapbx.simulator.identity;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.entrapbx.simulator.http.Request;
import dev.entrapbx.simulator.http.Response;
import dev.entrapbx.simulator.json.Json;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * An error of the Microsoft identity platform: OAuth error code, AADSTS number and message, HTTP status.
 * Rendered as Entra does, see https://learn.microsoft.com/entra/identity-platform/reference-error-codes
 * (error_description ends with Trace ID / Correlation ID / Timestamp lines).
 */
public final class AadError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private final int status;
    private final String error;
    private final int code;

    public AadError(int status, String error, int code, String message) {
        super(message);
        this.status = status;
        this.error = error;
        this.code = code;
    }

    public int status() { return status; }
    public String error() { return error; }
    public int code() { return code; }

    /** "AADSTSnnnn: message". */
    public String aadstsMessage() {
        return "AADSTS" + code + ": " + getMessage();
    }

    /**
     * The parameters of an error sent back to the client's redirect URI (authorize, admin consent):
     * {@code error}, {@code error_description} with Entra's trace lines, {@code error_uri}.
     */
    public java.util.Map<String, String> redirectParams(String baseUrl) {
        java.util.Map<String, String> result = new java.util.LinkedHashMap<>();
        result.put("error", error);
        result.put("error_description", aadstsMessage() + "\r\nTrace ID: " + UUID.randomUUID()
                + "\r\nCorrelation ID: " + UUID.randomUUID() + "\r\nTimestamp: " + Instant.now());
        result.put("error_uri", baseUrl + "/error?code=" + code);
        return result;
    }

    /** The JSON error body of the token endpoint (and other JSON endpoints of the login host). */
    public Response toResponse(Request request, String baseUrl) {
        String traceId = UUID.randomUUID().toString();
        String correlationId = request.header("client-request-id").orElse(UUID.randomUUID().toString());
        String timestamp = TIMESTAMP.format(Instant.now());
        ObjectNode body = Json.object();
        body.put("error", error);
        // Layout of the sample in https://learn.microsoft.com/entra/identity-platform/reference-error-codes
        body.put("error_description", aadstsMessage() + "\r\nTrace ID: " + traceId + "\r\nCorrelation ID: "
                + correlationId + "\r\nTimestamp: " + timestamp);
        body.putArray("error_codes").add(code);
        body.put("timestamp", timestamp);
        body.put("trace_id", traceId);
        body.put("correlation_id", correlationId);
        body.put("error_uri", baseUrl + "/error?code=" + code);
        Response response = Response.json(status, body);
        response.header("Cache-Control", "no-store, no-cache");
        response.header("x-ms-request-id", traceId);
        if (status == 401) {
            response.header("WWW-Authenticate", "Basic realm=\"entra-simulator\"");
        }
        return response;
    }
}
