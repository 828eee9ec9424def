package dev.entrapbx.simulator.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A user of a tenant: Graph properties plus what only the simulator knows - the password for the login form
 * and whether the user's email is verified (drives the {@code xms_edov} claim). Immutable.
 */
public final class User extends DirectoryObject {
    private final String password;
    private final boolean emailVerified;

    private User(Builder b) {
        super(Schema.USER, b.values);
        this.password = b.password;
        this.emailVerified = b.emailVerified;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.values.putAll(values());
        b.password = password;
        b.emailVerified = emailVerified;
        return b;
    }

    public String userPrincipalName() { return string("userPrincipalName"); }
    public String mail() { return string("mail"); }
    public String displayName() { return string("displayName"); }
    public String givenName() { return string("givenName"); }
    public String surname() { return string("surname"); }
    public String jobTitle() { return string("jobTitle"); }
    public String department() { return string("department"); }
    public String mobilePhone() { return string("mobilePhone"); }
    public String officeLocation() { return string("officeLocation"); }
    public String employeeId() { return string("employeeId"); }
    public String userType() { return string("userType"); }
    public String createdDateTime() { return string("createdDateTime"); }

    @SuppressWarnings("unchecked")
    public List<String> businessPhones() {
        Object v = values().get("businessPhones");
        return v == null ? List.of() : (List<String>) v;
    }

    public boolean accountEnabled() { return !Boolean.FALSE.equals(values().get("accountEnabled")); }

    /** extensionAttribute1..15 that are set. */
    @SuppressWarnings("unchecked")
    public Map<String, String> onPremisesExtensionAttributes() {
        Object v = values().get("onPremisesExtensionAttributes");
        return v == null ? Map.of() : (Map<String, String>) v;
    }

    public String extensionAttribute(int n) {
        return onPremisesExtensionAttributes().get("extensionAttribute" + n);
    }

    public String password() { return password; }

    /**
     * False when the user's email must be treated as unverified even if its domain is a verified domain of the
     * tenant (the per-user switch behind {@code xms_edov=false}).
     */
    public boolean emailVerified() { return emailVerified; }

    /** The domain part of the user principal name, lower-case. */
    public String upnDomain() {
        String upn = userPrincipalName();
        return upn.substring(upn.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return userPrincipalName() + " (" + id() + ")";
    }

    /** Builder with typed setters for the modelled properties. */
    public static final class Builder extends AbstractBuilder<Builder> {
        private String password;
        private boolean emailVerified = true;

        private Builder() {
            super(Schema.USER);
        }

        public Builder id(String id) { return set("id", id); }
        public Builder userPrincipalName(String upn) { return set("userPrincipalName", upn); }
        public Builder mail(String mail) { return set("mail", mail); }
        public Builder givenName(String v) { return set("givenName", v); }
        public Builder surname(String v) { return set("surname", v); }
        public Builder displayName(String v) { return set("displayName", v); }
        public Builder jobTitle(String v) { return set("jobTitle", v); }
        public Builder department(String v) { return set("department", v); }
        public Builder companyName(String v) { return set("companyName", v); }
        public Builder businessPhones(List<String> v) { return set("businessPhones", v); }
        public Builder businessPhones(String... v) { return set("businessPhones", Arrays.asList(v)); }
        public Builder mobilePhone(String v) { return set("mobilePhone", v); }
        public Builder officeLocation(String v) { return set("officeLocation", v); }
        public Builder preferredLanguage(String v) { return set("preferredLanguage", v); }
        public Builder employeeId(String v) { return set("employeeId", v); }
        public Builder accountEnabled(boolean v) { return set("accountEnabled", v); }
        /** "Member" or "Guest". */
        public Builder userType(String v) { return set("userType", v); }
        public Builder password(String password) { this.password = password; return this; }
        public Builder emailVerified(boolean verified) { this.emailVerified = verified; return this; }

        /** Sets (or with null clears) extensionAttributeN of onPremisesExtensionAttributes. */
        public Builder extensionAttribute(int n, String value) {
            if (n < 1 || n > PropertyType.EXTENSION_ATTRIBUTE_COUNT) {
                throw new IllegalArgumentException("extension attribute number must be 1..15");
            }
            Map<String, String> attrs = new TreeMap<>();
            Object current = values.get("onPremisesExtensionAttributes");
            if (current instanceof Map<?, ?> m) {
                m.forEach((k, v) -> attrs.put((String) k, (String) v));
            }
            if (value == null) {
                attrs.remove("extensionAttribute" + n);
            } else {
                attrs.put("extensionAttribute" + n, value);
            }
            return set("onPremisesExtensionAttributes", attrs.isEmpty() ? null : attrs);
        }

        @Override
        protected boolean applyExtra(String name, JsonNode value) {
            switch (name) {
                case "password" -> password = value.isNull() ? null : value.asText();
                case "passwordProfile" -> password = value.path("password").isMissingNode() ? password
                        : value.path("password").asText();
                case "emailVerified" -> {
                    if (!value.isBoolean()) {
                        throw new IllegalArgumentException("Property 'emailVerified' must be a boolean");
                    }
                    emailVerified = value.asBoolean();
                }
                default -> {
                    return false;
                }
            }
            return true;
        }

        public String userPrincipalName() { return (String) values.get("userPrincipalName"); }

        /** Fills defaults and checks required properties; the directory calls this with the final id. */
        public User build() {
            String upn = userPrincipalName();
            if (upn == null || upn.indexOf('@') <= 0 || upn.endsWith("@")) {
                throw new IllegalArgumentException("userPrincipalName is required and must look like name@domain");
            }
            if (values.get("id") == null) {
                throw new IllegalStateException("id not assigned");
            }
            values.put("id", Ids.requireGuid((String) values.get("id"), "user id"));
            values.putIfAbsent("accountEnabled", true);
            values.putIfAbsent("userType", "Member");
            if (values.get("displayName") == null) {
                String given = (String) values.get("givenName");
                String sur = (String) values.get("surname");
                values.put("displayName", given != null || sur != null
                        ? ((given == null ? "" : given) + " " + (sur == null ? "" : sur)).trim()
                        : upn.substring(0, upn.indexOf('@')));
            }
            String type = (String) values.get("userType");
            if (!"Member".equals(type) && !"Guest".equals(type)) {
                throw new IllegalArgumentException("userType must be Member or Guest");
            }
            return new User(this);
        }
    }
}
