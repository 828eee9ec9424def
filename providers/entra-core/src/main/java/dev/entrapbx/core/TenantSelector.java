package dev.entrapbx.core;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Which Entra tenant(s) an authority addresses: one tenant by GUID, one tenant by one of its
 * verified domain names, or {@code organizations} (any work or school tenant; callers must then
 * restrict tenants themselves). {@code common} and {@code consumers} are refused on purpose: they
 * admit personal Microsoft accounts, which have no place in a company phone system.
 */
public final class TenantSelector {

    public static final String ORGANIZATIONS = "organizations";

    // RFC 1123 labels, at least two labels, TLD alphabetic; what Entra accepts as a custom domain.
    private static final Pattern DOMAIN = Pattern.compile(
            "^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$");
    private static final Pattern GUID = Pattern.compile(
            "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

    public enum Kind { TENANT_ID, DOMAIN, ORGANIZATIONS }

    private final Kind kind;
    private final String value;

    private TenantSelector(Kind kind, String value) {
        this.kind = kind;
        this.value = value;
    }

    /**
     * Parses what an admin typed.
     *
     * @throws IllegalArgumentException with a message that says what to type instead
     */
    public static TenantSelector parse(String input) {
        if (input == null || input.isBlank()) {
            throw new IllegalArgumentException(
                    "Tenant is required: enter the directory (tenant) ID GUID, a verified domain such as contoso.com, or 'organizations' for multi-tenant.");
        }
        String v = input.trim().toLowerCase(Locale.ROOT);
        if (v.equals(ORGANIZATIONS)) {
            return new TenantSelector(Kind.ORGANIZATIONS, v);
        }
        if (v.equals("common") || v.equals("consumers")) {
            throw new IllegalArgumentException("Tenant '" + v
                    + "' admits personal Microsoft accounts; use 'organizations' with an allow-list of tenant IDs instead.");
        }
        if (GUID.matcher(v).matches()) {
            return new TenantSelector(Kind.TENANT_ID, UUID.fromString(v).toString());
        }
        if (looksLikeGuid(v)) {
            throw new IllegalArgumentException("Tenant ID '" + input.trim()
                    + "' is not a valid GUID: expected 8-4-4-4-12 hexadecimal digits, e.g. 72f988bf-86f1-41af-91ab-2d7cd011db47.");
        }
        if (DOMAIN.matcher(v).matches()) {
            return new TenantSelector(Kind.DOMAIN, v);
        }
        throw new IllegalArgumentException("Tenant '" + input.trim()
                + "' is neither a tenant ID GUID nor a domain name (such as contoso.com or contoso.onmicrosoft.com).");
    }

    /** True when {@code value} is a well-formed tenant ID GUID. */
    public static boolean isTenantId(String value) {
        return value != null && GUID.matcher(value.trim()).matches();
    }

    /** Normalises a tenant ID GUID (lower case), or empty when it is not one. */
    public static Optional<String> normalizeTenantId(String value) {
        return isTenantId(value) ? Optional.of(value.trim().toLowerCase(Locale.ROOT)) : Optional.empty();
    }

    private static boolean looksLikeGuid(String v) {
        // Mostly hex digits and dashes, no dot: someone tried to type a GUID.
        return !v.contains(".") && v.chars().allMatch(c -> c == '-' || Character.digit(c, 16) >= 0) && v.length() >= 8;
    }

    public Kind kind() {
        return kind;
    }

    /** The path segment used in authority URLs. */
    public String value() {
        return value;
    }

    public boolean isMultiTenant() {
        return kind == Kind.ORGANIZATIONS;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TenantSelector other && other.kind == kind && other.value.equals(value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, value);
    }

    @Override
    public String toString() {
        return value;
    }
}
