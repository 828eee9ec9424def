package dev.entrapbx.sync.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * {@code GET .../entra-sync/{componentId}/runs?first=&max=}: one page of the run log, newest first.
 *
 * @param total runs in the log
 * @param first index of the first run on this page, as asked
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunListRepresentation(long total, int first, List<RunRepresentation> runs) {
}
