package dev.entrapbx.simulator.contacts;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The writable properties of an Outlook contact (https://learn.microsoft.com/graph/api/resources/contact). The
 * common ones are fields; the rarely used ones live in {@code more} (an empty shared map for most contacts), so
 * 200,000 generated contacts stay small.
 *
 * @param more other writable string, string-collection ({@link #LIST_PROPERTIES}) and address
 *             ({@link #ADDRESS_PROPERTIES}) properties by Graph name
 */
public record ContactFields(String displayName, String givenName, String surname, String companyName, String jobTitle,
                            String department, List<String> businessPhones, List<String> homePhones,
                            String mobilePhone, List<EmailAddress> emailAddresses, List<String> categories,
                            Map<String, Object> more) {

    /** Other string properties of the contact resource. */
    public static final Set<String> STRING_PROPERTIES = Set.of("birthday", "fileAs", "initials", "middleName",
            "nickName", "title", "yomiGivenName", "yomiSurname", "yomiCompanyName", "generation", "officeLocation",
            "profession", "businessHomePage", "assistantName", "manager", "spouseName", "personalNotes");
    public static final Set<String> LIST_PROPERTIES = Set.of("imAddresses", "children");
    public static final Set<String> ADDRESS_PROPERTIES = Set.of("homeAddress", "businessAddress", "otherAddress");

    public static final ContactFields EMPTY = new ContactFields(null, null, null, null, null, null, List.of(), List.of(),
            null, List.of(), List.of(), Map.of());

    public ContactFields {
        businessPhones = businessPhones == null ? List.of() : List.copyOf(businessPhones);
        homePhones = homePhones == null ? List.of() : List.copyOf(homePhones);
        emailAddresses = emailAddresses == null ? List.of() : List.copyOf(emailAddresses);
        categories = categories == null ? List.of() : List.copyOf(categories);
        more = more == null || more.isEmpty() ? Map.of() : Map.copyOf(more);
    }

    public String string(String name) {
        Object v = more.get(name);
        return v instanceof String s ? s : null;
    }

    @SuppressWarnings("unchecked")
    public List<String> list(String name) {
        Object v = more.get(name);
        return v instanceof List<?> l ? (List<String>) l : List.of();
    }

    public PhysicalAddress address(String name) {
        Object v = more.get(name);
        return v instanceof PhysicalAddress a ? a : null;
    }

    /** Every phone number of the contact (business, home, mobile), in that order. */
    public List<String> allPhones() {
        List<String> out = new ArrayList<>(businessPhones);
        out.addAll(homePhones);
        if (mobilePhone != null) {
            out.add(mobilePhone);
        }
        return out;
    }

    /**
     * A copy with the properties present in {@code patch} replaced (Graph names; null clears). Unknown or read-only
     * names are refused with an IllegalArgumentException, as Graph refuses them.
     */
    public ContactFields apply(JsonNode patch) {
        if (patch == null || !patch.isObject()) {
            throw new IllegalArgumentException("A contact must be a JSON object");
        }
        String displayName = this.displayName;
        String givenName = this.givenName;
        String surname = this.surname;
        String companyName = this.companyName;
        String jobTitle = this.jobTitle;
        String department = this.department;
        List<String> businessPhones = this.businessPhones;
        List<String> homePhones = this.homePhones;
        String mobilePhone = this.mobilePhone;
        List<EmailAddress> emails = this.emailAddresses;
        List<String> categories = this.categories;
        Map<String, Object> more = new LinkedHashMap<>(this.more);
        Iterator<Map.Entry<String, JsonNode>> it = patch.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            JsonNode v = e.getValue();
            switch (name) {
                case "displayName" -> displayName = text(name, v);
                case "givenName" -> givenName = text(name, v);
                case "surname" -> surname = text(name, v);
                case "companyName" -> companyName = text(name, v);
                case "jobTitle" -> jobTitle = text(name, v);
                case "department" -> department = text(name, v);
                case "mobilePhone" -> mobilePhone = text(name, v);
                case "businessPhones" -> businessPhones = strings(name, v);
                case "homePhones" -> homePhones = strings(name, v);
                case "categories" -> categories = strings(name, v);
                case "emailAddresses" -> emails = emails(v);
                case "id", "changeKey", "createdDateTime", "lastModifiedDateTime", "parentFolderId", "@odata.etag",
                     "@odata.type" -> { } // read-only: ignored, as the control API accepts what Graph returned
                default -> {
                    if (STRING_PROPERTIES.contains(name)) {
                        putOrRemove(more, name, text(name, v));
                    } else if (LIST_PROPERTIES.contains(name)) {
                        List<String> l = strings(name, v);
                        putOrRemove(more, name, l.isEmpty() ? null : l);
                    } else if (ADDRESS_PROPERTIES.contains(name)) {
                        PhysicalAddress a = address(v);
                        putOrRemove(more, name, a == null || a.isEmpty() ? null : a);
                    } else {
                        throw new IllegalArgumentException("Could not find a property named '" + name
                                + "' on type 'microsoft.graph.contact'.");
                    }
                }
            }
        }
        return new ContactFields(displayName, givenName, surname, companyName, jobTitle, department, businessPhones,
                homePhones, mobilePhone, emails, categories, more);
    }

    private static void putOrRemove(Map<String, Object> map, String name, Object value) {
        if (value == null) {
            map.remove(name);
        } else {
            map.put(name, value);
        }
    }

    static String text(String name, JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException("Property '" + name + "' must be a string");
        }
        return v.asText();
    }

    static List<String> strings(String name, JsonNode v) {
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw new IllegalArgumentException("Property '" + name + "' must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        v.forEach(s -> out.add(text(name, s)));
        return List.copyOf(out);
    }

    private static List<EmailAddress> emails(JsonNode v) {
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw new IllegalArgumentException("Property 'emailAddresses' must be an array of {name, address}");
        }
        List<EmailAddress> out = new ArrayList<>();
        for (JsonNode e : v) {
            if (e.isTextual()) {
                out.add(new EmailAddress(null, e.asText()));
            } else {
                out.add(new EmailAddress(text("name", e.get("name")), text("address", e.get("address"))));
            }
        }
        return out;
    }

    static PhysicalAddress address(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw new IllegalArgumentException("An address must be an object");
        }
        return new PhysicalAddress(text("street", v.get("street")), text("city", v.get("city")),
                text("state", v.get("state")), text("countryOrRegion", v.get("countryOrRegion")),
                text("postalCode", v.get("postalCode")), text("officeLocation", v.get("officeLocation")));
    }
}
