package dev.entrapbx.simulator.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The properties the simulator models for users and groups, in Graph's names. */
public final class Schema {
    // Default user properties without $select: https://learn.microsoft.com/graph/api/user-list (id, businessPhones,
    // displayName, givenName, jobTitle, mail, mobilePhone, officeLocation, preferredLanguage, surname, userPrincipalName)
    public static final Schema USER = new Schema("user", "User", List.of(
            new PropertyDef("id", PropertyType.STRING, true, true),
            new PropertyDef("businessPhones", PropertyType.STRING_LIST, true, false),
            new PropertyDef("displayName", PropertyType.STRING, true, false),
            new PropertyDef("givenName", PropertyType.STRING, true, false),
            new PropertyDef("jobTitle", PropertyType.STRING, true, false),
            new PropertyDef("mail", PropertyType.STRING, true, false),
            new PropertyDef("mobilePhone", PropertyType.STRING, true, false),
            new PropertyDef("officeLocation", PropertyType.STRING, true, false),
            new PropertyDef("preferredLanguage", PropertyType.STRING, true, false),
            new PropertyDef("surname", PropertyType.STRING, true, false),
            new PropertyDef("userPrincipalName", PropertyType.STRING, true, false),
            new PropertyDef("accountEnabled", PropertyType.BOOLEAN, false, false),
            new PropertyDef("userType", PropertyType.STRING, false, false),
            new PropertyDef("department", PropertyType.STRING, false, false),
            new PropertyDef("companyName", PropertyType.STRING, false, false),
            new PropertyDef("employeeId", PropertyType.STRING, false, false),
            new PropertyDef("onPremisesExtensionAttributes", PropertyType.EXTENSION_ATTRIBUTES, false, false),
            new PropertyDef("createdDateTime", PropertyType.STRING, false, true)));

    public static final Schema GROUP = new Schema("group", "Group", List.of(
            new PropertyDef("id", PropertyType.STRING, true, true),
            new PropertyDef("displayName", PropertyType.STRING, true, false),
            new PropertyDef("description", PropertyType.STRING, true, false),
            new PropertyDef("mailNickname", PropertyType.STRING, true, false),
            new PropertyDef("mail", PropertyType.STRING, true, false),
            new PropertyDef("mailEnabled", PropertyType.BOOLEAN, true, false),
            new PropertyDef("securityEnabled", PropertyType.BOOLEAN, true, false),
            new PropertyDef("groupTypes", PropertyType.STRING_LIST, true, false),
            new PropertyDef("visibility", PropertyType.STRING, true, false),
            new PropertyDef("createdDateTime", PropertyType.STRING, true, true)));

    private final String odataName;
    private final String resourceName;
    private final Map<String, PropertyDef> properties = new LinkedHashMap<>();
    private final Map<String, PropertyDef> byLowerName = new LinkedHashMap<>();

    private Schema(String odataName, String resourceName, List<PropertyDef> defs) {
        this.odataName = odataName;
        this.resourceName = resourceName;
        for (PropertyDef d : defs) {
            properties.put(d.name(), d);
            byLowerName.put(d.name().toLowerCase(Locale.ROOT), d);
        }
    }

    /** "user" / "group" as in "#microsoft.graph.user". */
    public String odataName() { return odataName; }

    /** "User" / "Group" as Graph's error messages name the resource. */
    public String resourceName() { return resourceName; }

    public List<PropertyDef> properties() { return List.copyOf(properties.values()); }

    public Optional<PropertyDef> property(String name) {
        PropertyDef exact = properties.get(name);
        return exact != null ? Optional.of(exact)
                : Optional.ofNullable(byLowerName.get(name.toLowerCase(Locale.ROOT)));
    }

    public PropertyDef require(String name) {
        return property(name).orElseThrow(() -> new IllegalArgumentException(
                "Could not find a property named '" + name + "' on type 'microsoft.graph." + odataName + "'."));
    }

    public List<String> defaultSelect() {
        List<String> out = new ArrayList<>();
        properties.values().stream().filter(PropertyDef::defaultSelected).forEach(d -> out.add(d.name()));
        return out;
    }

    public List<String> allNames() {
        return List.copyOf(properties.keySet());
    }
}
