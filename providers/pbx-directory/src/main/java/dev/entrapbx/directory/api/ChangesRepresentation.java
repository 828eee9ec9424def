package dev.entrapbx.directory.api;

import java.util.List;
import java.util.Map;

/**
 * A page of the change feed: changes after the asked cursor, in commit order. {@code cursor} is
 * where to continue (the last change's, or the asked one when there was none); {@code hasMore}:
 * more changes are waiting now.
 */
public record ChangesRepresentation(List<Map<String, Object>> changes, String cursor, boolean hasMore) {
}
