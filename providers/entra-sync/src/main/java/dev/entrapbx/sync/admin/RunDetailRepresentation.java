package dev.entrapbx.sync.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.entrapbx.sync.jpa.SyncRunErrorEntity;
import java.util.List;

/**
 * {@code GET .../entra-sync/{componentId}/runs/{runId}?first=&max=}: the run's fields
 * ({@link RunRepresentation}), then {@code problemsTotal} and one page of its per-user problems.
 * Names users: see the resource's permission rule.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunDetailRepresentation(@JsonUnwrapped RunRepresentation run, long problemsTotal, List<Problem> problems) {

    /** One user the run could not handle, or a warning about one. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Problem(String severity, String entraObjectId, String username, String reason) {

        public static Problem of(SyncRunErrorEntity e) {
            return new Problem(e.getSeverity(), e.getEntraOid(), e.getUsername(), e.getReason());
        }
    }
}
