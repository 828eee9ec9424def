package dev.entrapbx.simulator.http;

/** How one area of the simulator (login host, Graph, control API) words its generic answers. */
public interface AreaResponses {
    Response notFound(Request request);

    Response methodNotAllowed(Request request);

    Response internalError(Request request, Exception error);

    /** An injected error status (429, 503, ...), with Retry-After when given. */
    Response injectedStatus(Request request, int status, Integer retryAfterSeconds);
}
