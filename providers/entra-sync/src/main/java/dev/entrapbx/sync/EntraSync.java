package dev.entrapbx.sync;

import dev.entrapbx.core.AppTokens;
import dev.entrapbx.sync.graph.GraphDirectory;
import dev.entrapbx.sync.graph.GraphException;
import dev.entrapbx.sync.jpa.SyncStateEntity;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.connections.jpa.support.EntityManagers;
import org.keycloak.models.FederatedIdentityModel;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserProvider;
import org.keycloak.models.cache.UserCache;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.organization.OrganizationProvider;
import org.keycloak.storage.UserStoragePrivateUtil;
import org.keycloak.storage.UserStorageProviderModel;
import org.keycloak.storage.user.SynchronizationResult;

/**
 * One sync run of an {@code entra-users} component, following Keycloak's LDAP import recipe with
 * Graph delta queries and one transaction per slice of a page:
 *
 * <ol>
 * <li>page through {@code /users/delta} (a new round for a full sync, the stored delta link for a
 *     changed sync; an expired link falls back to a full round); the next page is fetched while
 *     this one is written;</li>
 * <li>per slice of {@value #TX_SIZE} users: extensions allocated (own transaction,
 *     database-unique), then users created or updated, linked to the IdP and made members of the
 *     organization (one transaction, {@value #PARALLEL_SLICES} slices at a time; if it fails, each
 *     user of the slice gets its own, so one bad user is recorded and the run goes on);</li>
 * <li>a full round reconciles: linked users not seen are out of Entra or out of scope;</li>
 * <li>disables and deletions (after the grace period) go through the accidental-delete guard;</li>
 * <li>the delta link is stored only now, after everything it covers was committed.</li>
 * </ol>
 * A page Graph cannot deliver stops the run: nothing is reconciled, the delta link stays, the
 * run is FAILED with the reason.
 */
public final class EntraSync {

    private static final Logger LOG = Logger.getLogger(EntraSync.class);

    public enum Trigger {
        FULL, CHANGED;

        String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Server-wide settings (factory init). */
    public record Settings(boolean allowAuthorityOverride, GraphDirectory.RetryPolicy retryPolicy) {
    }

    private final KeycloakSessionFactory factory;
    private final String realmId;
    private final UserStorageProviderModel model;
    private final EntraSyncConfig config;
    private final EntraUserMapper mapper;
    private final Settings settings;
    private final AppTokens tokens;
    private final Clock clock;

    // resolved at the start of a run
    private String organizationId;
    private String idpAlias;
    private String tenantId;
    /** The identity providers whose links let the sync adopt an existing user ({@link Adoption}). */
    private Set<String> adoptionProviders = Set.of();
    private GraphDirectory graph;
    private Set<String> verifiedDomains = Set.of();
    private ExtensionAllocator allocator;
    private PhotoSync photos;
    private PlannerStatistics statistics;
    private ExecutorService writers;
    private ExecutorService fetcher;
    private RunLog run;

    public EntraSync(KeycloakSessionFactory factory, String realmId, UserStorageProviderModel model, Settings settings,
                     AppTokens tokens, Clock clock) {
        this.factory = factory;
        this.realmId = realmId;
        this.model = model;
        this.config = new EntraSyncConfig(model);
        this.mapper = new EntraUserMapper(config);
        this.settings = settings;
        this.tokens = tokens;
        this.clock = clock;
    }

    public SynchronizationResult run(Trigger trigger) {
        run = RunLog.start(factory, realmId, model.getId(), trigger.id(), clock);
        RunLog.Status status;
        writers = Executors.newFixedThreadPool(PARALLEL_SLICES, daemon("entra-pbx-sync-writer-"));
        fetcher = Executors.newSingleThreadExecutor(daemon("entra-pbx-sync-fetch-"));
        try {
            status = execute(trigger);
        } catch (GraphException e) {
            run.note("Stopped: " + e.getMessage() + ". Nothing was reconciled and the delta link was not advanced.");
            status = RunLog.Status.FAILED;
            LOG.warnf("Entra sync '%s' (realm %s) failed: %s", model.getName(), realmId, e.getMessage());
        } catch (RuntimeException e) {
            run.note("Stopped: " + describe(e) + ". Nothing was reconciled and the delta link was not advanced.");
            status = RunLog.Status.FAILED;
            LOG.errorf(e, "Entra sync '%s' (realm %s) failed", model.getName(), realmId);
        } finally {
            writers.shutdownNow();
            fetcher.shutdownNow();
            if (photos != null) {
                photos.close();
                photos.drainProblems();
                run.note(photos.summary());
            }
        }
        if (graph != null) {
            run.retries = graph.retries();
        }
        run.finish(status, config.runsKept());
        return run.result();
    }

    private RunLog.Status execute(Trigger trigger) {
        prepare();
        String deltaLink = trigger == Trigger.CHANGED ? loadState().deltaLink() : null;
        boolean full = deltaLink == null;
        if (trigger == Trigger.CHANGED && full) {
            run.note("No delta link stored yet: ran a full sync.");
        }
        Scope scope = Scope.load(graph, config, mapper);
        Round round;
        try {
            round = deltaRound(deltaLink, full, scope);
        } catch (GraphException e) {
            if (full || !e.deltaTokenExpired()) {
                throw e;
            }
            run.note("The stored delta link has expired (" + e.code() + "): ran a full sync instead.");
            round = deltaRound(null, true, scope);
        }
        run.mode = round.full ? "full" : "changed";

        // scope by groups or filter: members that entered without any change of their own
        if (scope.ids != null) {
            List<String> missing = new ArrayList<>();
            Set<String> local = localOids().keySet();
            for (String id : scope.ids) {
                if (!round.seen.contains(id) && !local.contains(id)) {
                    missing.add(id);
                }
            }
            for (List<String> ids : LocalUsers.chunks(missing, 15)) {
                List<EntraUser> users = graph.usersById(ids, mapper.selectedProperties());
                for (EntraUser u : users) {
                    round.seen.add(u.id());
                }
                importPage(users);
            }
        }

        // who leaves: removed in Entra, disabled, out of scope, or (full round) not seen at all
        boolean wholeComponent = round.full || scope.ids != null;
        Map<String, String> leaving = new LinkedHashMap<>(round.leaving);
        statistics.beforeReconcile(run.added);
        // a changed sync of scope 'all' needs only the leaving users and those in their grace period,
        // so its cost follows the number of changes, not the size of the directory
        Map<String, LocalUser> local = wholeComponent ? localOids() : localOids(leaving.keySet());
        int total = wholeComponent ? local.size() : componentSize();
        if (wholeComponent) {
            for (Map.Entry<String, LocalUser> e : local.entrySet()) {
                String oid = e.getKey();
                boolean inScope = scope.ids == null || scope.ids.contains(oid);
                if ((round.full && !round.seen.contains(oid)) || !inScope) {
                    leaving.putIfAbsent(oid, round.full && !round.seen.contains(oid) && inScope
                            ? "not in Entra any more" : "out of the sync's scope");
                }
            }
        }
        if (photos != null) {
            photos.finish(); // before removals, so no photo is stored for a user being deleted
        }
        return finishWithDeletions(local, total, leaving, round.deltaLink);
    }

    /** The seen ids, the users that left, and the final delta link of one round. */
    private static final class Round {
        final boolean full;
        final Set<String> seen = new HashSet<>();
        final Map<String, String> leaving = new LinkedHashMap<>();
        String deltaLink;

        Round(boolean full) {
            this.full = full;
        }
    }

    /**
     * One delta round. The next page is fetched (and parsed) on another thread while this one is
     * written, so Graph's latency overlaps with the database's; at most two pages are in memory.
     */
    private Round deltaRound(String startLink, boolean full, Scope scope) {
        Round round = new Round(full);
        GraphDirectory.DeltaPage page = graph.usersDelta(startLink, mapper.selectedProperties());
        while (true) {
            String nextLink = page.nextLink();
            Future<GraphDirectory.DeltaPage> next = nextLink == null ? null
                    : fetcher.submit(() -> graph.usersDelta(nextLink, mapper.selectedProperties()));
            try {
                importPage(accept(page, scope, round));
            } catch (RuntimeException e) {
                if (next != null) {
                    next.cancel(true);
                }
                throw e;
            }
            run.checkpoint();
            if (next == null) {
                round.deltaLink = page.deltaLink();
                return round;
            }
            page = await(next);
        }
    }

    /** The page's users to import; the others are recorded as leaving or skipped. */
    private List<EntraUser> accept(GraphDirectory.DeltaPage page, Scope scope, Round round) {
        List<EntraUser> toImport = new ArrayList<>();
        for (EntraUser u : page.users()) {
            if (u.removed()) {
                round.leaving.put(u.id(), "deleted in Entra (" + u.removedReason() + ")");
                round.seen.remove(u.id());
                continue;
            }
            Optional<String> reason = exclusion(u, scope);
            if (reason.isPresent()) {
                round.leaving.put(u.id(), reason.get());
                round.seen.remove(u.id());
                run.skipped++;
                continue;
            }
            round.leaving.remove(u.id());
            round.seen.add(u.id());
            toImport.add(u);
        }
        return toImport;
    }

    /** The result of work done on one of the run's threads; its failure is rethrown as it was (a GraphException stays one). */
    static <T> T await(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(describe(e.getCause()), e.getCause());
        }
    }

    /** Daemon threads named prefix + n (the run's writers, fetcher and photo threads). */
    static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private Optional<String> exclusion(EntraUser u, Scope scope) {
        if (u.guest() && !config.includeGuests()) {
            return Optional.of("a guest (guests are excluded)");
        }
        if (!u.accountEnabled() && !config.includeDisabledAccounts()) {
            return Optional.of("disabled in Entra");
        }
        if (scope.ids != null && !scope.ids.contains(u.id())) {
            return Optional.of("out of the sync's scope");
        }
        return Optional.empty();
    }

    // ------------------------------------------------------------------ start of a run

    private void prepare() {
        KeycloakModelUtils.runJobInTransaction(factory, s -> {
            RealmModel realm = realm(s);
            OrganizationModel org = organization(s, realm, config);
            organizationId = org.getId();
            Optional<IdentityProviderModel> idp = EntraConnection.linkedIdentityProvider(s, config, org);
            if (config.identityProviderAlias().isPresent() && idp.isEmpty()) {
                throw new IllegalArgumentException("Identity provider '" + config.identityProviderAlias().get() + "' does not exist.");
            }
            idpAlias = idp.map(IdentityProviderModel::getAlias).orElse(null);
            EntraConnection connection = EntraConnection.resolve(s, realm, config, idp, settings.allowAuthorityOverride());
            graph = connection.directory(tokens, settings.retryPolicy());
            tenantId = EntraConnection.facts(connection.graphToken(tokens)).tenantId();
            UserProfileDeclaration.ensure(s, config);
        });
        if (idpAlias == null) {
            run.note("No Entra identity provider is linked: users are imported but their first Microsoft sign-in will need matching.");
        }
        try {
            verifiedDomains = graph.verifiedDomains();
        } catch (GraphException e) {
            run.note("Verified domains could not be read (" + e.getMessage() + "): emails are imported as not verified.");
        }
        adoptionProviders = KeycloakModelUtils.runJobInTransactionWithResult(factory, s -> {
            realm(s); // binds the session to the realm, which the identity-provider storage needs
            return Adoption.providersOfTenant(s.identityProviders().getAllStream().toList(), tenantId, verifiedDomains, idpAlias);
        });
        if (config.extensionMode() != EntraSyncConfig.ExtensionMode.NONE) {
            allocator = new ExtensionAllocator(factory, realmId, organizationId, tenantId, config.extensionRange(), config.quarantine(), clock);
        }
        if (config.syncPhotos()) {
            photos = new PhotoSync(factory, realmId, model.getId(), graph, run, clock);
        }
        statistics = PlannerStatistics.start(factory);
    }

    static RealmModel realm(KeycloakSession s, String realmId) {
        RealmModel realm = s.realms().getRealm(realmId);
        if (realm == null) {
            throw new IllegalStateException("realm " + realmId + " is gone");
        }
        s.getContext().setRealm(realm);
        return realm;
    }

    private RealmModel realm(KeycloakSession s) {
        return realm(s, realmId);
    }

    /**
     * The component's organization, by alias or id.
     *
     * @throws IllegalArgumentException saying what to fix when organizations are off or it does not exist
     */
    public static OrganizationModel organization(KeycloakSession s, RealmModel realm, EntraSyncConfig config) {
        String ref = config.organization().orElseThrow(() -> new IllegalArgumentException("Organization is required."));
        if (!realm.isOrganizationsEnabled()) {
            throw new IllegalArgumentException("Organizations are not enabled in realm '" + realm.getName()
                    + "': switch them on (Realm settings > General > Organizations).");
        }
        OrganizationProvider orgs = s.getProvider(OrganizationProvider.class);
        OrganizationModel org = orgs.getByAlias(ref);
        if (org == null) {
            org = orgs.getById(ref);
        }
        if (org == null) {
            throw new IllegalArgumentException("Organization '" + ref + "' does not exist in realm '" + realm.getName()
                    + "': use the alias shown under Organizations.");
        }
        return org;
    }

    /** What a run needs of the stored state (read in its own transaction). */
    private record State(String deltaLink, boolean guardConfirmed) {
    }

    private State loadState() {
        return KeycloakModelUtils.runJobInTransactionWithResult(factory, s -> {
            SyncStateEntity st = s.getProvider(JpaConnectionProvider.class).getEntityManager().find(SyncStateEntity.class, model.getId());
            return st == null ? new State(null, false) : new State(st.getDeltaLink(), st.isGuardConfirmed());
        });
    }

    // ------------------------------------------------------------------ import of one page

    /**
     * Users per transaction: a Graph page (up to 999) is written in slices of this size, so a
     * transaction stays small (Hibernate's persistence context, lock time, rollback cost).
     */
    static final int TX_SIZE = 250;

    /**
     * Slices written at the same time, each in its own transaction: a sync thread writing one slice
     * after the other left the machine half idle (it waits for the database, the database waits for
     * it). Extensions are still allocated one slice after the other, on the run's thread.
     */
    static final int PARALLEL_SLICES = 2;

    private void importPage(List<EntraUser> page) {
        List<Future<PageCounts>> written = new ArrayList<>();
        for (int i = 0; i < page.size(); i += TX_SIZE) {
            List<EntraUser> slice = page.subList(i, Math.min(page.size(), i + TX_SIZE));
            Map<String, String> newIds = new HashMap<>(); // the id each user gets if it turns out to be new
            slice.forEach(u -> newIds.put(u.id(), KeycloakModelUtils.generateId()));
            SlicePlan plan = new SlicePlan(allocate(slice, newIds), newIds);
            written.add(writers.submit(() -> writeSlice(slice, plan)));
        }
        for (Future<PageCounts> f : written) {
            record(await(f));
        }
    }

    /** What a slice's writer needs: the extensions given, and the id of each user that turns out to be new. */
    private record SlicePlan(Map<String, ExtensionAllocator.Result> extensions, Map<String, String> newUserIds) {
    }

    private Map<String, ExtensionAllocator.Result> allocate(List<EntraUser> users, Map<String, String> newIds) {
        if (allocator == null) {
            return Map.of();
        }
        List<ExtensionAllocator.Request> requests = new ArrayList<>();
        for (EntraUser u : users) {
            requests.add(new ExtensionAllocator.Request(u.id(), mapper.extensionCandidate(u).orElse(null), newIds.get(u.id())));
        }
        return allocator.allocate(requests);
    }

    /** One slice in one transaction; if that fails, each user alone, so one bad user is recorded and the rest are written. */
    private PageCounts writeSlice(List<EntraUser> users, SlicePlan plan) {
        try {
            return KeycloakModelUtils.runJobInTransactionWithResult(factory, s -> writeUsers(s, users, plan));
        } catch (RuntimeException pageFailure) {
            LOG.debugf(pageFailure, "slice of %d users failed as a whole; importing them one by one", users.size());
            PageCounts counts = new PageCounts();
            for (EntraUser u : users) {
                try {
                    counts.add(KeycloakModelUtils.runJobInTransactionWithResult(factory, s -> writeUsers(s, List.of(u), plan)));
                } catch (RuntimeException e) {
                    counts.problems.add(new Problem(true, u.id(), mapper.username(u).orElse(null), "not imported: " + describe(e)));
                }
            }
            return counts;
        }
    }

    /** A written slice into the run log, the statistics and the photo queue (on the run's thread). */
    private void record(PageCounts counts) {
        run.added += counts.added;
        run.updated += counts.updated;
        run.skipped += counts.unchanged;
        run.adopted += counts.adopted;
        statistics.afterSlice(run.added);
        for (Problem p : counts.problems) {
            run.problem(p.error, p.oid, p.username, p.reason);
        }
        if (photos != null) {
            photos.submit(counts.written);
            photos.drainProblems();
        }
        run.checkpoint();
    }

    private record Problem(boolean error, String oid, String username, String reason) {
    }

    private static final class PageCounts {
        int added;
        int updated;
        int unchanged;
        /** Existing users (signed in with Microsoft before the sync) that the sync took over, see {@link Adoption}. */
        int adopted;
        final List<Problem> problems = new ArrayList<>();
        /** The users written (created, updated or unchanged), for the photo check. */
        final List<PhotoSync.Target> written = new ArrayList<>();

        void add(PageCounts o) {
            added += o.added;
            updated += o.updated;
            unchanged += o.unchanged;
            adopted += o.adopted;
            problems.addAll(o.problems);
            written.addAll(o.written);
        }
    }

    /**
     * Writes a slice in Keycloak's batch mode (as its realm import does): no flush after every
     * created user and no auto-flush before each of Keycloak's per-user queries, one flush at the
     * end; conflicts inside the slice are tracked in memory ({@code taken}).
     */
    private PageCounts writeUsers(KeycloakSession s, List<EntraUser> users, SlicePlan plan) {
        PageCounts[] out = new PageCounts[1];
        EntityManagers.runInBatch(s, () -> out[0] = writeUsersInBatch(s, users, plan), false);
        return out[0];
    }

    private PageCounts writeUsersInBatch(KeycloakSession s, List<EntraUser> users, SlicePlan plan) {
        Map<String, ExtensionAllocator.Result> extensions = plan.extensions();
        RealmModel realm = realm(s);
        UserProvider local = UserStoragePrivateUtil.userLocalStorage(s);
        UserCache cache = s.getProvider(UserCache.class);
        OrganizationProvider orgs = s.getProvider(OrganizationProvider.class);
        OrganizationModel org = orgs.getById(organizationId);
        EntityManager em = s.getProvider(JpaConnectionProvider.class).getEntityManager();
        PageCounts counts = new PageCounts();

        Map<String, String> existing = LocalUsers.userIdsByOid(em, realmId, users.stream().map(EntraUser::id).toList());
        Map<String, String> adoptable = LocalUsers.linkedByOid(em, realmId, adoptionProviders,
                users.stream().map(EntraUser::id).filter(oid -> !existing.containsKey(oid)).toList());
        Set<String> newNames = new HashSet<>();
        Set<String> newEmails = new HashSet<>();
        for (EntraUser u : users) {
            if (!existing.containsKey(u.id()) && !adoptable.containsKey(u.id())) {
                mapper.username(u).ifPresent(newNames::add);
                mapper.email(u).ifPresent(newEmails::add);
            }
        }
        LocalUsers.Taken taken = LocalUsers.taken(em, realmId, newNames, realm.isDuplicateEmailsAllowed() ? Set.of() : newEmails);
        Map<String, String> bound = new HashMap<>();
        String orgGroupId = null;
        NewUsers newUsers = new NewUsers(s, realm, em);

        for (EntraUser u : users) {
            Optional<String> username = mapper.username(u);
            if (username.isEmpty()) {
                counts.problems.add(new Problem(true, u.id(), null, "has no " + config.usernameSource().id()
                        + " to use as username (change 'Username from' or fill it in Entra)"));
                continue;
            }
            Optional<String> email = mapper.email(u);
            String userId = existing.get(u.id());
            UserModel user;
            boolean created = false;
            boolean adopted = false;
            if (userId == null && adoptable.containsKey(u.id())) {
                user = local.getUserById(realm, adoptable.get(u.id()));
                if (user == null) {
                    continue;
                }
                String link = user.getFederationLink();
                if (link != null && !link.equals(model.getId()) && realm.getComponent(link) != null) {
                    counts.problems.add(new Problem(true, u.id(), username.get(), "Keycloak user '" + user.getUsername()
                            + "' signed in with this Entra account but belongs to another user federation (" + link + "); left untouched"));
                    continue;
                }
                user.setFederationLink(model.getId());
                adopted = true;
            } else if (userId != null) {
                user = local.getUserById(realm, userId);
                if (user == null) {
                    continue;
                }
                if (!model.getId().equals(user.getFederationLink())) {
                    counts.problems.add(new Problem(true, u.id(), username.get(), "Keycloak user '" + user.getUsername()
                            + "' carries this Entra object id but is not synced by this component; left untouched"));
                    continue;
                }
            } else {
                if (taken.usernames().contains(username.get())) {
                    counts.problems.add(new Problem(true, u.id(), username.get(), "username '" + username.get()
                            + "' is taken by a Keycloak user not synced from this Entra tenant; left untouched (rename or delete one of them)"));
                    continue;
                }
                if (email.isPresent() && taken.emails().contains(email.get())) {
                    counts.problems.add(new Problem(true, u.id(), username.get(), "email '" + email.get()
                            + "' is used by another Keycloak user and the realm does not allow duplicate emails"));
                    continue;
                }
                String[] names = names(u, username.get());
                // complete before the insert: apply() then finds nothing to change, so no UPDATE follows it
                String newId = plan.newUserIds().get(u.id());
                user = newUsers.add(newId, username.get(), model.getId(), clock.millis(), email.orElse(null),
                        emailVerified(email.orElse(null)), names[0], names[1], u.accountEnabled());
                created = true;
                taken.usernames().add(username.get());
                email.ifPresent(taken.emails()::add);
            }
            boolean changed = apply(realm, local, user, u, username.get(), email, extensions.get(u.id()),
                    created ? newUsers : null, counts);
            if (created) {
                if (orgGroupId == null) {
                    orgGroupId = LocalUsers.organizationGroupId(em, organizationId);
                }
                newUsers.joinOrganization(user, orgGroupId);
                if (idpAlias != null) {
                    newUsers.link(user, idpAlias, u.id(), username.get());
                }
                counts.added++;
            } else {
                if (!orgs.isMember(org, user)) {
                    orgs.addMember(org, user);
                    changed = true;
                }
                if (idpAlias != null && local.getFederatedIdentity(realm, user, idpAlias) == null) {
                    local.addFederatedIdentity(realm, user, new FederatedIdentityModel(idpAlias, u.id(), username.get()));
                    changed = true;
                }
                if (adopted) {
                    counts.adopted++;
                    if (cache != null) {
                        cache.evict(realm, user);
                    }
                } else if (changed) {
                    counts.updated++;
                    if (cache != null) {
                        cache.evict(realm, user);
                    }
                } else {
                    counts.unchanged++;
                }
            }
            ExtensionAllocator.Result given = extensions.get(u.id());
            if (!created || given == null || !given.givenNow()) { // a number given now was recorded with the new user's id
                bound.put(u.id(), user.getId());
            }
            counts.written.add(new PhotoSync.Target(u.id(), user.getId(), username.get()));
        }
        newUsers.insert(); // before anything below could make Hibernate flush rows that refer to them
        if (allocator != null) {
            ExtensionAllocator.bindUsers(em, organizationId, bound);
        }
        return counts;
    }

    /** Writes what differs; true when anything changed. {@code newUsers}: where a user created in this slice goes; null for an existing user. */
    private boolean apply(RealmModel realm, UserProvider local, UserModel user, EntraUser u, String username,
                          Optional<String> email, ExtensionAllocator.Result extension, NewUsers newUsers, PageCounts counts) {
        boolean created = newUsers != null;
        boolean changed = false;
        if (!username.equals(user.getUsername())) {
            UserModel other = local.getUserByUsername(realm, username);
            if (other == null) {
                user.setUsername(username);
                changed = true;
            } else {
                counts.problems.add(new Problem(false, u.id(), username, "renamed in Entra, but username '" + username
                        + "' is taken in Keycloak; kept '" + user.getUsername() + "'"));
            }
        }
        String mail = email.orElse(null);
        if (!Objects.equals(mail, user.getEmail())) {
            user.setEmail(mail);
            changed = true;
        }
        boolean verified = emailVerified(mail);
        if (verified != user.isEmailVerified()) {
            user.setEmailVerified(verified);
            changed = true;
        }
        String[] names = names(u, username);
        if (!Objects.equals(names[0], user.getFirstName())) {
            user.setFirstName(names[0]);
            changed = true;
        }
        if (!Objects.equals(names[1], user.getLastName())) {
            user.setLastName(names[1]);
            changed = true;
        }
        boolean enabled = u.accountEnabled();
        Map<String, List<String>> current = created ? Map.of() : user.getAttributes();
        boolean disabledBySync = current.containsKey(EntraUserMapper.ATTR_DISABLED_AT);
        if (created) {
            user.setEnabled(enabled);
        } else if (enabled && !user.isEnabled() && disabledBySync) {
            user.setEnabled(true); // back in Entra and in scope: undo our own disable, never an admin's
            changed = true;
        } else if (!enabled && user.isEnabled()) {
            user.setEnabled(false); // included disabled accounts mirror Entra
            changed = true;
        }
        Map<String, List<String>> wanted = new LinkedHashMap<>(mapper.attributes(u, tenantId));
        wanted.put(EntraUserMapper.ATTR_DISABLED_AT, List.of());
        wanted.put(EntraUserMapper.ATTR_DISABLED_REASON, List.of());
        if (allocator != null && extension != null) {
            if (extension.extension().isPresent()) {
                wanted.put(EntraUserMapper.ATTR_EXTENSION, List.of(extension.extension().get()));
                wanted.put(EntraUserMapper.ATTR_FLAG, List.of());
                if (extension.candidateConflict()) {
                    counts.problems.add(new Problem(false, u.id(), username, "the extension from " + config.extensionSource().orElse("?")
                            + " is held by someone else; got " + extension.extension().get() + " from the range"));
                }
            } else {
                wanted.put(EntraUserMapper.ATTR_FLAG, List.of(EntraUserMapper.FLAG_RANGE_EXHAUSTED));
                counts.problems.add(new Problem(false, u.id(), username, "no extension: range " + config.extensionRange()
                        + " is exhausted; imported without one and flagged " + EntraUserMapper.FLAG_RANGE_EXHAUSTED));
            }
        }
        if (created) {
            // a new user has no attributes to replace: insert them, without Keycloak's delete-then-insert per name
            newUsers.attributes(user, wanted);
            return true;
        }
        for (Map.Entry<String, List<String>> e : wanted.entrySet()) {
            List<String> have = current.get(e.getKey());
            if (e.getValue().isEmpty()) {
                if (have != null && !have.isEmpty()) {
                    user.removeAttribute(e.getKey());
                    changed = true;
                }
            } else if (!e.getValue().equals(have)) {
                user.setAttribute(e.getKey(), e.getValue());
                changed = true;
            }
        }
        return changed;
    }

    /** An email on one of the tenant's verified domains is imported as verified. */
    private boolean emailVerified(String mail) {
        return mail != null && verifiedDomains.contains(mail.substring(mail.indexOf('@') + 1));
    }

    /** First and last name; when Entra has none, from the display name (Keycloak's profile wants both). */
    static String[] names(EntraUser u, String username) {
        String first = u.first("givenName").map(String::trim).filter(s -> !s.isEmpty()).orElse(null);
        String last = u.first("surname").map(String::trim).filter(s -> !s.isEmpty()).orElse(null);
        if (first == null || last == null) {
            String display = u.first("displayName").map(String::trim).filter(s -> !s.isEmpty()).orElse(username);
            int space = display.lastIndexOf(' ');
            if (first == null) {
                first = space > 0 ? display.substring(0, space) : display;
            }
            if (last == null) {
                last = space > 0 ? display.substring(space + 1) : display;
            }
        }
        return new String[] {first, last};
    }

    // ------------------------------------------------------------------ leaving users, guard, delta link

    /** A synced Keycloak user: id, enabled, and when the sync disabled it (null = it did not). */
    record LocalUser(String userId, boolean enabled, String disabledAt) {
    }

    private Map<String, LocalUser> localOids() {
        return KeycloakModelUtils.runJobInTransactionWithResult(factory, s ->
                LocalUsers.ofComponent(s.getProvider(JpaConnectionProvider.class).getEntityManager(), realmId, model.getId()));
    }

    /** These synced users (by object id) plus every synced user the sync disabled (its grace period runs). */
    private Map<String, LocalUser> localOids(Set<String> oids) {
        return KeycloakModelUtils.runJobInTransactionWithResult(factory, s -> {
            EntityManager em = s.getProvider(JpaConnectionProvider.class).getEntityManager();
            Map<String, LocalUser> out = LocalUsers.ofComponent(em, realmId, model.getId(), oids);
            out.putAll(LocalUsers.disabledOfComponent(em, realmId, model.getId()));
            return out;
        });
    }

    private int componentSize() {
        return KeycloakModelUtils.runJobInTransactionWithResult(factory, s ->
                LocalUsers.countOfComponent(s.getProvider(JpaConnectionProvider.class).getEntityManager(), realmId, model.getId()));
    }

    private RunLog.Status finishWithDeletions(Map<String, LocalUser> local, int total, Map<String, String> leaving, String deltaLink) {
        Instant now = clock.instant();
        List<String> toDisable = new ArrayList<>();
        List<String> toDeleteNow = new ArrayList<>();
        for (Map.Entry<String, String> e : leaving.entrySet()) {
            LocalUser lu = local.get(e.getKey());
            if (lu == null || lu.disabledAt() != null) {
                continue; // never imported, or already disabled by us (its grace period runs)
            }
            if (config.deleteGrace().isPresent() && config.deleteGrace().get().isZero()) {
                toDeleteNow.add(e.getKey());
            } else {
                toDisable.add(e.getKey());
            }
        }
        List<String> graceOver = new ArrayList<>();
        if (config.deleteGrace().isPresent()) {
            for (Map.Entry<String, LocalUser> e : local.entrySet()) {
                String at = e.getValue().disabledAt();
                if (at != null && parse(at).plus(config.deleteGrace().get()).isBefore(now)) {
                    graceOver.add(e.getKey());
                }
            }
        }
        int actions = toDisable.size() + toDeleteNow.size() + graceOver.size();
        State state = loadState();
        boolean tripped = DeletionGuard.trips(actions, total, config.guardMaxUsers(), config.guardMaxPercent());
        if (tripped && !state.guardConfirmed()) {
            String why = "Accidental-delete guard: this run would disable or delete " + actions + " of " + total
                    + " synced users (limits: " + DeletionGuard.describe(config.guardMaxUsers(), config.guardMaxPercent())
                    + "), so none of that was done and the delta link was kept. If Entra really lost these users, confirm once "
                    + "(POST .../entra-sync/" + model.getId() + "/guard/confirm) and sync again.";
            run.note(why);
            saveState(null, why, false);
            AdminEvents.guardTripped(factory, realmId, model, actions, total, why);
            return RunLog.Status.GUARDED;
        }
        if (tripped) {
            run.note("Accidental-delete guard was confirmed by an admin: performing " + actions + " disables/deletions.");
        }
        Map<String, String> reasons = leaving;
        for (List<String> chunk : LocalUsers.chunks(toDisable, REMOVALS_PER_TX)) {
            disable(chunk, reasons, local, now);
        }
        for (List<String> chunk : LocalUsers.chunks(toDeleteNow, REMOVALS_PER_TX)) {
            delete(chunk, local);
        }
        for (List<String> chunk : LocalUsers.chunks(graceOver, REMOVALS_PER_TX)) {
            delete(chunk, local);
        }
        saveState(deltaLink, null, true);
        return run.failed > 0 ? RunLog.Status.PARTIAL : RunLog.Status.SUCCESS;
    }

    private static Instant parse(String iso) {
        try {
            return Instant.parse(iso);
        } catch (RuntimeException e) {
            return Instant.EPOCH;
        }
    }

    /** Disables and deletions per transaction. */
    private static final int REMOVALS_PER_TX = 500;

    /** Something done to each of a chunk's synced users, in one transaction; the cache entry is evicted first. */
    private interface UserAction {
        void apply(RealmModel realm, UserProvider users, String oid, UserModel user);
    }

    private void forEachUser(List<String> oids, Map<String, LocalUser> local, UserAction action, java.util.function.Consumer<KeycloakSession> after) {
        KeycloakModelUtils.runJobInTransaction(factory, s -> {
            RealmModel realm = realm(s);
            UserProvider users = UserStoragePrivateUtil.userLocalStorage(s);
            UserCache cache = s.getProvider(UserCache.class);
            for (String oid : oids) {
                UserModel user = users.getUserById(realm, local.get(oid).userId());
                if (user == null) {
                    continue;
                }
                if (cache != null) {
                    cache.evict(realm, user);
                }
                action.apply(realm, users, oid, user);
            }
            after.accept(s);
        });
    }

    private void disable(List<String> oids, Map<String, String> reasons, Map<String, LocalUser> local, Instant now) {
        forEachUser(oids, local, (realm, users, oid, user) -> {
            user.setEnabled(false);
            user.setSingleAttribute(EntraUserMapper.ATTR_DISABLED_AT, now.toString());
            user.setSingleAttribute(EntraUserMapper.ATTR_DISABLED_REASON, reasons.getOrDefault(oid, "left Entra"));
            run.disabled++;
        }, s -> { });
    }

    private void delete(List<String> oids, Map<String, LocalUser> local) {
        forEachUser(oids, local, (realm, users, oid, user) -> {
            users.removeUser(realm, user);
            run.deleted++;
        }, s -> {
            EntityManager em = s.getProvider(JpaConnectionProvider.class).getEntityManager();
            ExtensionAllocator.release(em, organizationId, oids, config.quarantine(), clock.millis());
            PhotoSync.deleteForUsers(em, oids.stream().map(oid -> local.get(oid).userId()).toList());
        });
    }

    private void saveState(String deltaLink, String guardMessage, boolean consumeConfirmation) {
        KeycloakModelUtils.runJobInTransaction(factory, s -> {
            SyncStateEntity st = SyncStateEntity.findOrCreate(s.getProvider(JpaConnectionProvider.class).getEntityManager(),
                    model.getId(), realmId);
            if (deltaLink != null) {
                st.setDeltaLink(deltaLink);
                st.setDeltaSavedAt(clock.millis());
            }
            st.setGuardMessage(guardMessage);
            if (consumeConfirmation) {
                st.setGuardConfirmed(false);
            }
        });
    }

    static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        Set<String> seen = new HashSet<>();
        for (Throwable c = e; c != null && sb.length() < 400; c = c.getCause() == c ? null : c.getCause()) {
            String m = c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
            if (seen.add(m)) {
                if (!sb.isEmpty()) {
                    sb.append(": ");
                }
                sb.append(m);
            }
        }
        return sb.toString();
    }

    /** The set of in-scope object ids for group or filter scope; null for "all members". */
    private static final class Scope {
        final Set<String> ids;

        private Scope(Set<String> ids) {
            this.ids = ids;
        }

        static Scope load(GraphDirectory graph, EntraSyncConfig config, EntraUserMapper mapper) {
            List<String> idOnly = List.of("id");
            switch (config.scope()) {
                case GROUPS -> {
                    Set<String> ids = new HashSet<>();
                    for (String group : config.groupIds()) {
                        String link = null;
                        do {
                            GraphDirectory.ListPage p = graph.groupUsers(link, group, idOnly);
                            p.users().forEach(u -> ids.add(u.id()));
                            link = p.nextLink();
                        } while (link != null);
                    }
                    return new Scope(ids);
                }
                case FILTER -> {
                    Set<String> ids = new HashSet<>();
                    String link = null;
                    do {
                        GraphDirectory.ListPage p = graph.usersFiltered(link, config.filter().orElseThrow(), idOnly);
                        p.users().forEach(u -> ids.add(u.id()));
                        link = p.nextLink();
                    } while (link != null);
                    return new Scope(ids);
                }
                default -> {
                    return new Scope(null);
                }
            }
        }
    }
}
