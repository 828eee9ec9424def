package dev.entrapbx.simulator.directory;

import com.fasterxml.jackson.databind.JsonNode;
import dev.entrapbx.simulator.json.Json;
import dev.entrapbx.simulator.model.AppCertificate;
import dev.entrapbx.simulator.model.AppRegistration;
import dev.entrapbx.simulator.model.ClientSecret;
import dev.entrapbx.simulator.model.Domain;
import dev.entrapbx.simulator.model.Group;
import dev.entrapbx.simulator.model.Ids;
import dev.entrapbx.simulator.model.MemberRef;
import dev.entrapbx.simulator.model.Photo;
import dev.entrapbx.simulator.model.Tenant;
import dev.entrapbx.simulator.model.User;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The simulator's in-memory directory: tenants and their domains, app registrations, users, groups,
 * memberships and photos, plus per-tenant change logs for delta queries. Thread-safe; the control API
 * offers the same operations over HTTP.
 */
public final class Directory {
    private static final int GENERATE_BATCH = 10_000;

    private final Map<String, TenantStore> tenants = new ConcurrentHashMap<>();
    private final Map<String, String> tenantByDomain = new ConcurrentHashMap<>();
    private final Map<String, AppRegistration> apps = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> lastAuthorizeRequests = new ConcurrentHashMap<>();
    /** Admin consents: tenant id -> app id -> the application permissions granted then (the app's service principal). */
    private final Map<String, Map<String, Set<String>>> consents = new ConcurrentHashMap<>();
    private final List<BiConsumer<String, ChangeEvent>> changeListeners = new CopyOnWriteArrayList<>();

    /**
     * Tells {@code listener} (tenant id, event) of every change-log entry of every tenant, e.g. for change
     * notifications. It runs inside the tenant's write lock: it must only hand the event over, never block or read
     * the directory.
     */
    public void addChangeListener(BiConsumer<String, ChangeEvent> listener) {
        changeListeners.add(listener);
    }

    private void fireChange(String tenantId, ChangeEvent event) {
        for (BiConsumer<String, ChangeEvent> l : changeListeners) {
            l.accept(tenantId, event);
        }
    }

    // ------------------------------------------------------------------ tenants

    /** Creates a tenant with verified custom domains (the first is the default) and its initial domain. */
    public Tenant createTenant(String id, String displayName, String... verifiedDomains) {
        return createTenant(id, displayName, null, Arrays.stream(verifiedDomains).map(Domain::verified).toList());
    }

    /**
     * Creates a tenant.
     *
     * @param id                  GUID, or null for a new one
     * @param initialDomainPrefix the {@code <prefix>.onmicrosoft.com} name, or null to derive a free one from
     *                            the display name (contoso, contoso2, ...)
     * @param customDomains       custom domains; the one flagged default (else the first verified) becomes default
     */
    public synchronized Tenant createTenant(String id, String displayName, String initialDomainPrefix,
                                            List<Domain> customDomains) {
        String prefix = initialDomainPrefix;
        if (prefix == null || prefix.isBlank()) {
            String base = Tenant.initialDomainPrefix(displayName);
            prefix = base;
            for (int n = 2; tenantByDomain.containsKey(prefix + ".onmicrosoft.com"); n++) {
                prefix = base + n;
            }
        }
        Tenant tenant = Tenant.create(Ids.orNew(id, "tenant id"), displayName, prefix, customDomains);
        if (tenants.containsKey(tenant.id())) {
            throw DirectoryException.conflict("Tenant " + tenant.id() + " already exists");
        }
        for (Domain d : tenant.domains()) {
            String owner = tenantByDomain.get(d.name());
            if (owner != null) {
                throw DirectoryException.conflict("Domain " + d.name() + " already belongs to tenant " + owner);
            }
        }
        tenants.put(tenant.id(), new TenantStore(tenant, e -> fireChange(tenant.id(), e)));
        tenant.domains().forEach(d -> tenantByDomain.put(d.name(), tenant.id()));
        return tenant;
    }

    /** Adds or replaces a domain of a tenant (a default domain must be verified). */
    public synchronized Tenant addDomain(String tenantId, Domain domain) {
        TenantStore store = store(tenantId);
        String owner = tenantByDomain.get(domain.name());
        if (owner != null && !owner.equals(store.tenant().id())) {
            throw DirectoryException.conflict("Domain " + domain.name() + " already belongs to tenant " + owner);
        }
        if (domain.isDefault() && !domain.isVerified()) {
            throw DirectoryException.invalid("The default domain must be verified");
        }
        Tenant t = store.updateTenant(tenant -> tenant.withDomain(domain));
        tenantByDomain.put(domain.name(), t.id());
        return t;
    }

    /** A tenant by GUID or by one of its domain names. */
    public Optional<Tenant> tenant(String idOrDomain) {
        return findStore(idOrDomain).map(TenantStore::tenant);
    }

    public Tenant requireTenant(String idOrDomain) {
        return store(idOrDomain).tenant();
    }

    public List<Tenant> tenants() {
        return tenants.values().stream().map(TenantStore::tenant)
                .sorted(Comparator.comparing(Tenant::createdDateTime)).toList();
    }

    public synchronized void deleteTenant(String idOrDomain) {
        TenantStore store = store(idOrDomain);
        String id = store.tenant().id();
        tenants.remove(id);
        tenantByDomain.values().removeIf(id::equals);
        apps.values().removeIf(a -> a.tenantId().equals(id));
        consents.remove(id);
    }

    // ------------------------------------------------------------------ app registrations

    public AppRegistration createApp(String tenantId, AppRegistration.Builder builder) {
        Tenant tenant = requireTenant(tenantId);
        AppRegistration app = builder.tenantId(tenant.id()).build();
        if (apps.putIfAbsent(app.appId(), app) != null) {
            throw DirectoryException.conflict("An application with appId " + app.appId() + " already exists");
        }
        return app;
    }

    public AppRegistration updateApp(String appId, UnaryOperator<AppRegistration.Builder> change) {
        AppRegistration updated = apps.computeIfPresent(key(appId), (k, app) -> {
            AppRegistration.Builder b = change.apply(app.toBuilder());
            return b.appId(app.appId()).objectId(app.objectId()).tenantId(app.tenantId()).build();
        });
        if (updated == null) {
            throw appNotFound(appId);
        }
        return updated;
    }

    public ClientSecret addClientSecret(String appId, String value, Instant endDateTime) {
        ClientSecret secret = ClientSecret.of(value, endDateTime);
        updateApp(appId, b -> b.secret(secret));
        return secret;
    }

    public AppCertificate addCertificate(String appId, X509Certificate certificate) {
        AppCertificate cert = AppCertificate.of(certificate);
        updateApp(appId, b -> b.certificate(cert));
        return cert;
    }

    public AppCertificate addCertificatePem(String appId, String pem) {
        AppCertificate cert = AppCertificate.ofPem(pem);
        updateApp(appId, b -> b.certificate(cert));
        return cert;
    }

    public AppRegistration grantPermissions(String appId, String... permissions) {
        return updateApp(appId, b -> b.permissions(permissions));
    }

    public AppRegistration revokePermissions(String appId, String... permissions) {
        return updateApp(appId, b -> b.removePermissions(List.of(permissions)));
    }

    public Optional<AppRegistration> app(String appId) {
        return appId == null ? Optional.empty() : Optional.ofNullable(apps.get(key(appId)));
    }

    public AppRegistration requireApp(String appId) {
        return app(appId).orElseThrow(() -> appNotFound(appId));
    }

    /** App registrations whose home is this tenant. */
    public List<AppRegistration> apps(String tenantId) {
        String id = requireTenant(tenantId).id();
        return apps.values().stream().filter(a -> a.tenantId().equals(id))
                .sorted(Comparator.comparing(AppRegistration::createdDateTime)).toList();
    }

    public void deleteApp(String appId) {
        if (apps.remove(key(appId)) == null) {
            throw appNotFound(appId);
        }
    }

    // ------------------------------------------------------------------ admin consent

    /**
     * An admin of {@code tenantIdOrDomain} consents to {@code appId} for the whole tenant (the v2.0
     * {@code adminconsent} endpoint with {@code .default}): the app gets a service principal there and
     * the application permissions it lists now. Permissions added to the app later need a new consent,
     * as at Entra. Returns the permissions granted.
     */
    public Set<String> grantAdminConsent(String tenantIdOrDomain, String appId) {
        String tenantId = requireTenant(tenantIdOrDomain).id();
        AppRegistration app = requireApp(appId);
        Set<String> granted = Set.copyOf(app.permissions());
        consents.computeIfAbsent(tenantId, t -> new ConcurrentHashMap<>()).put(app.appId(), granted);
        return granted;
    }

    /** The tenant's admin deletes the app's enterprise application (service principal): its consent is gone. */
    public boolean revokeConsent(String tenantIdOrDomain, String appId) {
        String tenantId = requireTenant(tenantIdOrDomain).id();
        Map<String, Set<String>> perTenant = consents.get(tenantId);
        return perTenant != null && perTenant.remove(key(appId)) != null;
    }

    /**
     * The application permissions {@code app} holds in {@code tenantId}: in its home tenant the ones it
     * lists; elsewhere the ones an admin consented to, or empty when the app is not installed there
     * (no admin consent).
     */
    public Optional<Set<String>> permissionsIn(AppRegistration app, String tenantId) {
        if (app.tenantId().equals(tenantId)) {
            return Optional.of(app.permissions());
        }
        return Optional.ofNullable(consents.getOrDefault(tenantId, Map.of()).get(app.appId()));
    }

    /** True when {@code app} may be used in {@code tenantId}: its home tenant, or a tenant whose admin consented. */
    public boolean isInstalled(AppRegistration app, String tenantId) {
        return permissionsIn(app, tenantId).isPresent();
    }

    // ------------------------------------------------------------------ users

    public User createUser(String tenantId, User.Builder user) {
        return store(tenantId).createUser(user);
    }

    /** Applies a change to a user; only Graph-visible changes enter the change log. */
    public User updateUser(String tenantId, String idOrUpn, UnaryOperator<User.Builder> change) {
        return store(tenantId).updateUser(idOrUpn, change);
    }

    /** Partial update with Graph property names, e.g. {"jobTitle":"Lead","onPremisesExtensionAttributes":{...}}. */
    public User patchUser(String tenantId, String idOrUpn, JsonNode patch) {
        return updateUser(tenantId, idOrUpn, b -> b.apply(patch));
    }

    public User patchUser(String tenantId, String idOrUpn, Map<String, Object> patch) {
        JsonNode node = Json.mapper().valueToTree(patch);
        return patchUser(tenantId, idOrUpn, node);
    }

    /** Soft delete: the user moves to deleted items and can be restored; delta reports reason "changed". */
    public User deleteUser(String tenantId, String idOrUpn) {
        return store(tenantId).softDeleteUser(idOrUpn);
    }

    /** Permanent delete (of an active or soft-deleted user); delta reports reason "deleted". */
    public User hardDeleteUser(String tenantId, String idOrUpn) {
        return store(tenantId).hardDeleteUser(idOrUpn);
    }

    public User restoreUser(String tenantId, String userId) {
        return store(tenantId).restoreUser(userId);
    }

    public Optional<User> user(String tenantId, String idOrUpn) {
        return read(tenantId, r -> r.user(idOrUpn));
    }

    public User requireUser(String tenantId, String idOrUpn) {
        return user(tenantId, idOrUpn).orElseThrow(() -> DirectoryException.notFound(
                "No user '" + idOrUpn + "' in tenant " + requireTenant(tenantId).displayName()));
    }

    /** All active users of a tenant (a copy), in object id order. */
    public List<User> users(String tenantId) {
        return read(tenantId, r -> new ArrayList<>(r.users().values()));
    }

    public int userCount(String tenantId) {
        return read(tenantId, r -> r.users().size());
    }

    /** Finds an active user anywhere by user principal name (the tenant is the one owning the UPN's domain). */
    public Optional<User> findUserByUpn(String upn) {
        if (upn == null || upn.indexOf('@') < 0) {
            return Optional.empty();
        }
        String domain = upn.substring(upn.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
        String tenantId = tenantByDomain.get(domain);
        return tenantId == null ? Optional.empty() : user(tenantId, upn);
    }

    /** The tenant that owns a user id or user principal name. */
    public Optional<Tenant> tenantOfUser(String userIdOrUpn) {
        for (TenantStore store : tenants.values()) {
            if (store.read(r -> r.user(userIdOrUpn).isPresent())) {
                return Optional.of(store.tenant());
            }
        }
        return Optional.empty();
    }

    /**
     * Creates {@code count} realistic users ({@code [prefix.]first.last.N@domain}) in batches.
     *
     * @param domain a domain of the tenant; null for its default domain
     */
    public GenerationResult generateUsers(String tenantId, int count, String domain, String prefix) {
        if (count < 1 || count > 1_000_000) {
            throw DirectoryException.invalid("count must be between 1 and 1000000");
        }
        TenantStore store = store(tenantId);
        Tenant tenant = store.tenant();
        String d = domain == null || domain.isBlank() ? tenant.defaultDomain().name() : domain.toLowerCase(Locale.ROOT);
        if (tenant.domain(d).isEmpty()) {
            throw DirectoryException.invalid("'" + d + "' is not a domain of tenant " + tenant.displayName());
        }
        long start = System.nanoTime();
        long firstIndex = store.nextGeneratedIndex(count);
        UserGenerator generator = new UserGenerator(tenant.id().hashCode() * 31L + firstIndex);
        String first = null;
        for (int done = 0; done < count; done += GENERATE_BATCH) {
            int n = Math.min(GENERATE_BATCH, count - done);
            List<User> created = store.createUsers(generator.generate(firstIndex + done, n, d, prefix, tenant.displayName()));
            if (first == null) {
                first = created.get(0).userPrincipalName();
            }
        }
        return new GenerationResult(count, Duration.ofNanos(System.nanoTime() - start), first);
    }

    // ------------------------------------------------------------------ photos

    public Photo setPhoto(String tenantId, String userIdOrUpn, byte[] bytes, String contentType) {
        Photo photo = Photo.of(bytes, contentType);
        store(tenantId).setPhoto(userIdOrUpn, photo);
        return photo;
    }

    public boolean removePhoto(String tenantId, String userIdOrUpn) {
        return store(tenantId).removePhoto(userIdOrUpn);
    }

    public Optional<Photo> photo(String tenantId, String userIdOrUpn) {
        return read(tenantId, r -> r.user(userIdOrUpn).flatMap(u -> r.photo(u.id())));
    }

    // ------------------------------------------------------------------ groups

    public Group createGroup(String tenantId, Group.Builder group) {
        return store(tenantId).createGroup(group);
    }

    public Group updateGroup(String tenantId, String groupId, UnaryOperator<Group.Builder> change) {
        return store(tenantId).updateGroup(groupId, change);
    }

    public Group patchGroup(String tenantId, String groupId, JsonNode patch) {
        return updateGroup(tenantId, groupId, b -> b.apply(patch));
    }

    public Group deleteGroup(String tenantId, String groupId) {
        return store(tenantId).deleteGroup(groupId);
    }

    public Optional<Group> group(String tenantId, String groupId) {
        return read(tenantId, r -> r.group(groupId));
    }

    /** A group by id, mailNickname or display name (case-insensitive). */
    public Optional<Group> findGroup(String tenantId, String idOrName) {
        return read(tenantId, r -> r.group(idOrName).or(() -> r.groups().values().stream()
                .filter(g -> idOrName.equalsIgnoreCase(g.mailNickname()) || idOrName.equalsIgnoreCase(g.displayName()))
                .findFirst()));
    }

    public List<Group> groups(String tenantId) {
        return read(tenantId, r -> new ArrayList<>(r.groups().values()));
    }

    /** Adds a user (id or UPN) or a group (id) as a direct member. */
    public MemberRef addMember(String tenantId, String groupId, String memberIdOrUpn) {
        return store(tenantId).addMember(groupId, memberIdOrUpn);
    }

    public void removeMember(String tenantId, String groupId, String memberId) {
        store(tenantId).removeMember(groupId, memberId);
    }

    public List<MemberRef> members(String tenantId, String groupId) {
        return read(tenantId, r -> {
            r.group(groupId).orElseThrow(() -> DirectoryException.notFound("No group " + groupId));
            return r.members(groupId);
        });
    }

    // ------------------------------------------------------------------ delta state

    /** Makes every delta/skip token issued so far fail with Graph's {@code syncStateNotFound}. */
    public void expireDeltaTokens(String tenantId) {
        store(tenantId).expireDeltaTokens();
    }

    /** Makes every delta token issued so far fail with 410 Gone (Graph's synchronization reset). */
    public void requireDeltaResync(String tenantId) {
        store(tenantId).requireDeltaResync();
    }

    // ------------------------------------------------------------------ activity

    /** Remembers the parameters of the latest authorize request of a client (the identity endpoints call this). */
    public void recordAuthorizeRequest(String clientId, Map<String, String> parameters) {
        lastAuthorizeRequests.put(key(clientId), Map.copyOf(new LinkedHashMap<>(parameters)));
    }

    /** The query (or form) parameters of the latest authorize request for this client id. */
    public Optional<Map<String, String>> lastAuthorizeRequest(String clientId) {
        return Optional.ofNullable(lastAuthorizeRequests.get(key(clientId)));
    }

    // ------------------------------------------------------------------ access

    /** Runs a read-only function against a consistent view of one tenant. */
    public <T> T read(String tenantIdOrDomain, Function<TenantReader, T> reader) {
        return store(tenantIdOrDomain).read(reader);
    }

    /** Forgets everything. */
    public synchronized void reset() {
        tenants.clear();
        tenantByDomain.clear();
        apps.clear();
        lastAuthorizeRequests.clear();
        consents.clear();
    }

    private TenantStore store(String idOrDomain) {
        return findStore(idOrDomain).orElseThrow(() -> DirectoryException.notFound("Tenant '" + idOrDomain + "' not found"));
    }

    private Optional<TenantStore> findStore(String idOrDomain) {
        if (idOrDomain == null) {
            return Optional.empty();
        }
        String k = idOrDomain.toLowerCase(Locale.ROOT);
        TenantStore store = tenants.get(k);
        if (store == null) {
            String id = tenantByDomain.get(k);
            store = id == null ? null : tenants.get(id);
        }
        return Optional.ofNullable(store);
    }

    private static String key(String id) {
        return id.toLowerCase(Locale.ROOT);
    }

    private static DirectoryException appNotFound(String appId) {
        return DirectoryException.notFound("No application with appId " + appId);
    }
}
