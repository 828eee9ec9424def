package dev.entrapbx.sync;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One user as Graph's delta reported it, independent of the SDK: either a removal
 * ({@code @removed}) or the user's mapped properties. {@code properties} holds every selected
 * Graph property by its Graph name (multi-valued ones as lists), so mappings and the extension
 * source read from one place.
 *
 * @param removedReason "changed" (soft-deleted, restorable) or "deleted" (permanently), when removed
 */
public record EntraUser(String id, String removedReason, Map<String, List<String>> properties) {

    public boolean removed() {
        return removedReason != null;
    }

    public Optional<String> first(String property) {
        List<String> v = properties.get(property);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.ofNullable(v.get(0));
    }

    public List<String> all(String property) {
        List<String> v = properties.get(property);
        return v == null ? List.of() : v;
    }

    public boolean accountEnabled() {
        return first("accountEnabled").map(Boolean::parseBoolean).orElse(true);
    }

    public boolean guest() {
        return first("userType").map("Guest"::equalsIgnoreCase).orElse(false);
    }

    @Override
    public String toString() {
        return "EntraUser[" + id + (removed() ? ", removed " + removedReason : ", " + first("userPrincipalName").orElse("?")) + "]";
    }
}
