package dev.entrapbx.simulator.identity;

import dev.entrapbx.simulator.directory.Directory;
import dev.entrapbx.simulator.model.Tenant;

import java.util.Locale;
import java.util.Optional;

/**
 * What the {tenant} segment of a login URL addresses: one tenant (by GUID or verified domain), or one of the
 * multi-tenant audiences {@code organizations}, {@code common}, {@code consumers}.
 */
public record TenantScope(Kind kind, Tenant tenant, String segment) {
    /** Audience kinds. */
    public enum Kind { TENANT, ORGANIZATIONS, COMMON, CONSUMERS }

    /** The literal placeholder Microsoft leaves in multi-tenant issuers. */
    public static final String TENANT_ID_TEMPLATE = "{tenantid}";

    public static Optional<TenantScope> resolve(String segment, Directory directory) {
        String s = segment.toLowerCase(Locale.ROOT);
        return switch (s) {
            case "organizations" -> Optional.of(new TenantScope(Kind.ORGANIZATIONS, null, s));
            case "common" -> Optional.of(new TenantScope(Kind.COMMON, null, s));
            case "consumers" -> Optional.of(new TenantScope(Kind.CONSUMERS, null, s));
            default -> directory.tenant(s).map(t -> new TenantScope(Kind.TENANT, t, segment));
        };
    }

    public boolean isTenant() {
        return kind == Kind.TENANT;
    }

    /** The segment Microsoft puts into endpoint URLs: the tenant GUID, or the audience name. */
    public String endpointSegment() {
        return isTenant() ? tenant.id() : kind.name().toLowerCase(Locale.ROOT);
    }

    /** The tenant part of the issuer: the tenant GUID, or the literal {tenantid} for multi-tenant audiences. */
    public String issuerSegment() {
        return isTenant() ? tenant.id() : TENANT_ID_TEMPLATE;
    }

    /** Whether users of this tenant may sign in through this endpoint. */
    public boolean admitsUsersOf(String tenantId) {
        return switch (kind) {
            case TENANT -> tenant.id().equals(tenantId);
            case ORGANIZATIONS, COMMON -> true;
            case CONSUMERS -> false;
        };
    }

    /** Human name for messages: the tenant's display name or the audience. */
    public String displayName() {
        return isTenant() ? tenant.displayName() : segment;
    }
}
