package dev.entrapbx.simulator.model;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A Microsoft Entra tenant: its id (a GUID), display name and domains. Every tenant has an initial
 * {@code <name>.onmicrosoft.com} domain and exactly one default domain. Immutable.
 */
public final class Tenant {
    private final String id;
    private final String displayName;
    private final List<Domain> domains;
    private final Instant createdDateTime;

    public Tenant(String id, String displayName, List<Domain> domains, Instant createdDateTime) {
        this.id = Ids.requireGuid(id, "tenant id");
        if (displayName == null || displayName.isBlank()) {
            throw new IllegalArgumentException("Tenant displayName is required");
        }
        this.displayName = displayName;
        this.domains = normalise(domains);
        this.createdDateTime = createdDateTime;
    }

    /**
     * A tenant with the given custom domains (verified; the first is the default unless one is flagged) and the
     * initial domain derived from {@code initialDomainPrefix} (or the display name).
     */
    public static Tenant create(String id, String displayName, String initialDomainPrefix, List<Domain> customDomains) {
        String prefix = initialDomainPrefix != null && !initialDomainPrefix.isBlank()
                ? initialDomainPrefix : initialDomainPrefix(displayName);
        String defaultName = customDomains.stream().filter(Domain::isDefault).map(Domain::name).findFirst()
                .orElse(customDomains.stream().filter(Domain::isVerified).map(Domain::name).findFirst().orElse(null));
        List<Domain> all = new ArrayList<>();
        for (Domain d : customDomains) {
            boolean isDefault = d.name().equals(defaultName);
            if (isDefault && !d.isVerified()) {
                throw new IllegalArgumentException("The default domain must be verified: " + d.name());
            }
            all.add(new Domain(d.name(), isDefault, false, d.isVerified()));
        }
        all.add(new Domain(prefix + ".onmicrosoft.com", defaultName == null, true, true));
        return new Tenant(id, displayName, all, Instant.now().truncatedTo(ChronoUnit.SECONDS));
    }

    /** The initial domain's prefix derived from a display name: lower-case letters and digits only. */
    public static String initialDomainPrefix(String displayName) {
        String prefix = displayName == null ? "" : displayName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        return prefix.isEmpty() ? "tenant" : prefix;
    }

    public String id() { return id; }
    public String displayName() { return displayName; }
    public List<Domain> domains() { return domains; }
    public Instant createdDateTime() { return createdDateTime; }

    public Domain defaultDomain() {
        return domains.stream().filter(Domain::isDefault).findFirst().orElseThrow();
    }

    public Domain initialDomain() {
        return domains.stream().filter(Domain::isInitial).findFirst().orElseThrow();
    }

    public Optional<Domain> domain(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return domains.stream().filter(d -> d.name().equals(n)).findFirst();
    }

    public boolean hasVerifiedDomain(String name) {
        return domain(name).map(Domain::isVerified).orElse(false);
    }

    /** Adds (or replaces) a domain; when it is the new default the previous default loses the flag. */
    public Tenant withDomain(Domain domain) {
        List<Domain> next = new ArrayList<>();
        for (Domain d : domains) {
            if (!d.name().equals(domain.name())) {
                next.add(domain.isDefault() ? d.asDefault(false) : d);
            }
        }
        Domain existing = domain(domain.name()).orElse(null);
        next.add(new Domain(domain.name(), domain.isDefault() || (existing != null && existing.isDefault()),
                existing != null && existing.isInitial(), domain.isVerified()));
        return new Tenant(id, displayName, next, createdDateTime);
    }

    public Tenant withDisplayName(String newName) {
        return new Tenant(id, newName, domains, createdDateTime);
    }

    private static List<Domain> normalise(List<Domain> domains) {
        if (domains.stream().filter(Domain::isInitial).count() != 1) {
            throw new IllegalArgumentException("A tenant needs exactly one initial (.onmicrosoft.com) domain");
        }
        if (domains.stream().filter(Domain::isDefault).count() != 1) {
            throw new IllegalArgumentException("A tenant needs exactly one default domain");
        }
        if (domains.stream().map(Domain::name).distinct().count() != domains.size()) {
            throw new IllegalArgumentException("Duplicate domain in tenant");
        }
        return List.copyOf(domains);
    }

    @Override
    public String toString() {
        return displayName + " (" + id + ")";
    }
}
