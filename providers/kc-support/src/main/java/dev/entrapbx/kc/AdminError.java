package dev.entrapbx.kc;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * The one error shape of entra-pbx admin REST (the OAuth-style shape Keycloak's own admin API
 * answers with): {@code {"error": code, "error_description": sentence saying what to fix,
 * "problems": [one sentence per refused value]}}; {@code problems} is left out when there is
 * nothing to list.
 *
 * @param error             stable code, e.g. {@code invalid_request}, {@code not_found}
 * @param error_description what went wrong and what to do
 * @param problems          every refused value (may be null)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AdminError(String error, String error_description, List<String> problems) {

    public AdminError {
        problems = problems == null || problems.isEmpty() ? null : List.copyOf(problems);
    }

    /** The response with this error as its JSON body. */
    public Response response(Response.Status status) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(this).build();
    }

    /** 400 with every problem listed; the description joins them. */
    public static Response badRequest(String error, List<String> problems) {
        return new AdminError(error, String.join(" ", problems), problems).response(Response.Status.BAD_REQUEST);
    }

    /** Thrown from a resource method: 400 with this description. */
    public static WebApplicationException invalid(String error, String description) {
        return new WebApplicationException(new AdminError(error, description, null).response(Response.Status.BAD_REQUEST));
    }

    /** Thrown from a resource method: {@code status} with this code and description. */
    public static WebApplicationException of(Response.Status status, String error, String description) {
        return new WebApplicationException(new AdminError(error, description, null).response(status));
    }

    /** Thrown from a resource method: 404 with this description. */
    public static WebApplicationException notFound(String description) {
        return new WebApplicationException(new AdminError("not_found", description, null).response(Response.Status.NOT_FOUND));
    }
}
