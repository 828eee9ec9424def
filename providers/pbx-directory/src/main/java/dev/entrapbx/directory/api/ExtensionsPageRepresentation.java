package dev.entrapbx.directory.api;

import java.util.List;
import java.util.Map;

/**
 * A page of the full read. {@code next} is null on the last page. {@code changesCursor} is the
 * feed position when this page was read: a consumer that starts the feed from the first page's
 * value misses nothing (changes made while it pages may be seen in a page and again in the feed;
 * each feed row carries the member's whole state, so applying it twice is harmless).
 */
public record ExtensionsPageRepresentation(List<Map<String, Object>> items, String next, String changesCursor) {
}
