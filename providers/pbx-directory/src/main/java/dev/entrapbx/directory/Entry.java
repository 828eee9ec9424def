package dev.entrapbx.directory;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One member of a phone system as the PBX sees it: the Keycloak user, its extension, the mapped
 * Entra attributes, its photo and its mirrored Entra groups. This is what the full read lists and
 * what every feed row carries (the state after the change), so a consumer can apply a change
 * without reading the user again.
 *
 * @param extensionStatus {@code assigned}; {@code range-exhausted} (the sync found no free number);
 *                        {@code extensions-off} (a synced user of a phone system whose sync gives no
 *                        extensions); {@code none} (a member the sync does not number, e.g. a local user)
 * @param photoEtag       the ETag of the stored photo; null when the user has none
 * @param groups          mirrored Entra groups the user is a member of, by id
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"id", "username", "email", "displayName", "firstName", "lastName", "enabled", "extension", "extensionStatus",
        "jobTitle", "department", "businessPhones", "mobilePhone", "officeLocation", "entraObjectId", "entraTenantId",
        "photoEtag", "groups"})
public record Entry(String id, String username, String email, String displayName, String firstName, String lastName,
                    boolean enabled, String extension, String extensionStatus, String jobTitle, String department,
                    List<String> businessPhones, String mobilePhone, String officeLocation, String entraObjectId,
                    String entraTenantId, String photoEtag, List<Group> groups) {

    public static final String ASSIGNED = "assigned";
    public static final String RANGE_EXHAUSTED = "range-exhausted";
    public static final String EXTENSIONS_OFF = "extensions-off";
    public static final String NONE = "none";

    /** A mirrored Entra group: the Keycloak group's id and name, and the Entra object id. */
    @JsonPropertyOrder({"id", "name", "entraGroupId"})
    public record Group(String id, String name, String entraGroupId) {
    }

    public Entry {
        businessPhones = businessPhones == null ? List.of() : List.copyOf(businessPhones);
        groups = groups == null ? List.of() : List.copyOf(groups);
    }

    /**
     * The entry's fields by name (the JSON names), for comparing two states of one member. Field
     * order is the JSON order.
     */
    public Map<String, Object> fields() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("username", username);
        m.put("email", email);
        m.put("displayName", displayName);
        m.put("firstName", firstName);
        m.put("lastName", lastName);
        m.put("enabled", enabled);
        m.put("extension", extension);
        m.put("extensionStatus", extensionStatus);
        m.put("jobTitle", jobTitle);
        m.put("department", department);
        m.put("businessPhones", businessPhones);
        m.put("mobilePhone", mobilePhone);
        m.put("officeLocation", officeLocation);
        m.put("entraObjectId", entraObjectId);
        m.put("entraTenantId", entraTenantId);
        m.put("photoEtag", photoEtag);
        m.put("groups", groups);
        return m;
    }

    /** The names of the fields whose values differ between two states of the same member. */
    public static List<String> changedFields(Entry before, Entry after) {
        Map<String, Object> a = before.fields();
        Map<String, Object> b = after.fields();
        return a.keySet().stream().filter(k -> !Objects.equals(a.get(k), b.get(k))).toList();
    }
}
