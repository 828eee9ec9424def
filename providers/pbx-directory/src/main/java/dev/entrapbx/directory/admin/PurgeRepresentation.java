package dev.entrapbx.directory.admin;

/**
 * A feed purge: what to remove ({@code before}: ISO-8601 instant; default: the retention's cut-off;
 * {@code organization}: one phone system's alias or id; default: all) and, in the answer, how many
 * rows went.
 */
public record PurgeRepresentation(String before, String organization, Integer removed) {
}
