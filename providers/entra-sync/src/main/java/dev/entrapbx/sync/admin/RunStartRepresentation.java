package dev.entrapbx.sync.admin;

/**
 * The answer to {@code POST .../entra-sync/{componentId}/sync} (202): the run is RUNNING under
 * {@code runId}; the Location header is its {@code GET .../runs/{runId}}.
 */
public record RunStartRepresentation(String runId, String trigger, String status) {
}
