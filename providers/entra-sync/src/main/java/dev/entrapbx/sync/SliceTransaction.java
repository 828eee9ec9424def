package dev.entrapbx.sync;

import dev.entrapbx.kc.DirectoryTouched;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.keycloak.connections.jpa.support.EntityManagers;
import org.keycloak.models.FederatedIdentityModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserProvider;
import org.keycloak.models.cache.UserCache;
import org.keycloak.organization.OrganizationProvider;
import org.keycloak.storage.UserStoragePrivateUtil;

/**
 * One slice's users written in one transaction: each Entra user is matched to its Keycloak user
 * (by object id; else adopted on a broker-link proof, {@link Adoption}; else created, unless its
 * username or email is taken), brought up to date (only what differs is written), made a member
 * of the organization and linked to the identity provider. Set-at-a-time lookups first
 * ({@link LocalUsers}), new users inserted at the end ({@link NewUsers}).
 */
final class SliceTransaction {

    /** What the run's thread decided before the slice is written: the extensions given, and the id of each user that turns out to be new. */
    record Plan(Map<String, ExtensionAllocator.Result> extensions, Map<String, String> newUserIds) {
    }

    private final RealmJobs jobs;
    private final String componentId;
    private final EntraSyncConfig config;
    private final EntraUserMapper mapper;
    private final SyncTarget target;
    /** Whether extensions are allocated (mode other than none). */
    private final boolean extensions;
    private final Clock clock;

    SliceTransaction(RealmJobs jobs, String componentId, EntraSyncConfig config, EntraUserMapper mapper, SyncTarget target,
                     boolean extensions, Clock clock) {
        this.jobs = jobs;
        this.componentId = componentId;
        this.config = config;
        this.mapper = mapper;
        this.target = target;
        this.extensions = extensions;
        this.clock = clock;
    }

    /**
     * Writes a slice in Keycloak's batch mode (as its realm import does): no flush after every
     * created user and no auto-flush before each of Keycloak's per-user queries, one flush at the
     * end; conflicts inside the slice are tracked in memory ({@code taken}).
     */
    SliceResult write(KeycloakSession s, List<EntraUser> users, Plan plan) {
        SliceResult[] out = new SliceResult[1];
        EntityManagers.runInBatch(s, () -> out[0] = writeUsersInBatch(s, users, plan), false);
        return out[0];
    }

    private SliceResult writeUsersInBatch(KeycloakSession s, List<EntraUser> users, Plan plan) {
        Map<String, ExtensionAllocator.Result> given = plan.extensions();
        RealmModel realm = jobs.realm(s);
        UserProvider local = UserStoragePrivateUtil.userLocalStorage(s);
        UserCache cache = s.getProvider(UserCache.class);
        OrganizationProvider orgs = s.getProvider(OrganizationProvider.class);
        OrganizationModel org = orgs.getById(target.organizationId());
        EntityManager em = RealmJobs.em(s);
        SliceResult counts = new SliceResult();

        Map<String, String> existing = LocalUsers.userIdsByOid(em, jobs.realmId(), users.stream().map(EntraUser::id).toList());
        Map<String, String> adoptable = new HashMap<>();
        List<String> unknown = users.stream().map(EntraUser::id).filter(oid -> !existing.containsKey(oid)).toList();
        if (!unknown.isEmpty() && !target.adoptionProviders().isEmpty()) {
            Map<String, String> candidates = target.adoptionCandidates(em, jobs.realmId(), componentId);
            for (String oid : unknown) {
                String userId = candidates.get(oid);
                if (userId != null) {
                    adoptable.put(oid, userId);
                }
            }
        }
        Set<String> newNames = new HashSet<>();
        Set<String> newEmails = new HashSet<>();
        for (EntraUser u : users) {
            if (!existing.containsKey(u.id()) && !adoptable.containsKey(u.id())) {
                mapper.username(u).ifPresent(newNames::add);
                mapper.email(u).ifPresent(newEmails::add);
            }
        }
        LocalUsers.Taken taken = LocalUsers.taken(em, jobs.realmId(), newNames, realm.isDuplicateEmailsAllowed() ? Set.of() : newEmails);
        if (!target.adoptionProviders().isEmpty() && (!taken.usernames().isEmpty() || !taken.emails().isEmpty())) {
            // someone who signed in through Microsoft after this run read its adoption candidates (people signing in while
            // the first sync runs): adopted like the others, on the same proof, instead of reported as a name clash
            List<String> clashing = users.stream().filter(u -> !existing.containsKey(u.id()) && !adoptable.containsKey(u.id()))
                    .filter(u -> mapper.username(u).map(taken.usernames()::contains).orElse(false)
                            || mapper.email(u).map(taken.emails()::contains).orElse(false))
                    .map(EntraUser::id).toList();
            if (!clashing.isEmpty()) {
                // an adopted user takes the adoption branch below: its own name in 'taken' does not matter
                adoptable.putAll(LocalUsers.adoptionCandidatesAmong(em, jobs.realmId(), target.adoptionProviders(), componentId, clashing));
            }
        }
        Map<String, String> bound = new HashMap<>();
        String orgGroupId = null;
        NewUsers newUsers = new NewUsers(s, realm, em);
        List<String> touched = new ArrayList<>();

        for (EntraUser u : users) {
            Optional<String> username = mapper.username(u);
            if (username.isEmpty()) {
                counts.problems.add(new SliceResult.Problem(true, u.id(), null, "has no " + config.usernameSource().id()
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
                if (link != null && !link.equals(componentId) && realm.getComponent(link) != null) {
                    counts.problems.add(new SliceResult.Problem(true, u.id(), username.get(), "Keycloak user '" + user.getUsername()
                            + "' signed in with this Entra account but belongs to another user federation (" + link + "); left untouched"));
                    continue;
                }
                user.setFederationLink(componentId);
                adopted = true;
            } else if (userId != null) {
                user = local.getUserById(realm, userId);
                if (user == null) {
                    continue;
                }
                if (!componentId.equals(user.getFederationLink())) {
                    counts.problems.add(new SliceResult.Problem(true, u.id(), username.get(), "Keycloak user '" + user.getUsername()
                            + "' carries this Entra object id but is not synced by this component; left untouched"));
                    continue;
                }
            } else {
                if (taken.usernames().contains(username.get())) {
                    counts.problems.add(new SliceResult.Problem(true, u.id(), username.get(), "username '" + username.get()
                            + "' is taken by a Keycloak user not synced from this Entra tenant; left untouched (rename or delete one of them)"));
                    continue;
                }
                if (email.isPresent() && taken.emails().contains(email.get())) {
                    counts.problems.add(new SliceResult.Problem(true, u.id(), username.get(), "email '" + email.get()
                            + "' is used by another Keycloak user and the realm does not allow duplicate emails"));
                    continue;
                }
                String[] names = NameRules.names(u, username.get());
                // complete before the insert: apply() then finds nothing to change, so no UPDATE follows it
                String newId = plan.newUserIds().get(u.id());
                user = newUsers.add(newId, username.get(), componentId, clock.millis(), email.orElse(null),
                        target.emailVerified(email.orElse(null)), names[0], names[1], u.accountEnabled());
                created = true;
                taken.usernames().add(username.get());
                email.ifPresent(taken.emails()::add);
            }
            boolean changed = apply(realm, local, user, u, username.get(), email, given.get(u.id()),
                    created ? newUsers : null, counts);
            if (created) {
                if (orgGroupId == null) {
                    orgGroupId = LocalUsers.organizationGroupId(em, target.organizationId());
                }
                newUsers.joinOrganization(user, orgGroupId);
                if (target.idpAlias() != null) {
                    newUsers.link(user, target.idpAlias(), u.id(), username.get());
                }
                counts.added++;
            } else {
                if (!orgs.isMember(org, user)) {
                    orgs.addMember(org, user);
                    changed = true;
                }
                if (target.idpAlias() != null && local.getFederatedIdentity(realm, user, target.idpAlias()) == null) {
                    local.addFederatedIdentity(realm, user, new FederatedIdentityModel(target.idpAlias(), u.id(), username.get()));
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
            if (created || adopted || changed) {
                touched.add(user.getId());
            }
            ExtensionAllocator.Result number = given.get(u.id());
            if (!created || number == null || !number.givenNow()) { // a number given now was recorded with the new user's id
                bound.put(u.id(), user.getId());
            }
            counts.written.add(new PhotoSync.Target(u.id(), user.getId(), username.get()));
            if (created || adopted) {
                counts.arrived.add(u.id());
            }
        }
        newUsers.insert(); // before anything below could make Hibernate flush rows that refer to them
        if (extensions) {
            ExtensionAllocator.bindUsers(em, target.organizationId(), bound);
        }
        DirectoryTouched.publish(s, jobs.realmId(), target.organizationId(), touched);
        return counts;
    }

    /** Writes what differs; true when anything changed. {@code newUsers}: where a user created in this slice goes; null for an existing user. */
    private boolean apply(RealmModel realm, UserProvider local, UserModel user, EntraUser u, String username,
                          Optional<String> email, ExtensionAllocator.Result extension, NewUsers newUsers, SliceResult counts) {
        boolean created = newUsers != null;
        boolean changed = false;
        if (!username.equals(user.getUsername())) {
            UserModel other = local.getUserByUsername(realm, username);
            if (other == null) {
                user.setUsername(username);
                changed = true;
            } else {
                counts.problems.add(new SliceResult.Problem(false, u.id(), username, "renamed in Entra, but username '" + username
                        + "' is taken in Keycloak; kept '" + user.getUsername() + "'"));
            }
        }
        String mail = email.orElse(null);
        if (!Objects.equals(mail, user.getEmail())) {
            user.setEmail(mail);
            changed = true;
        }
        boolean verified = target.emailVerified(mail);
        if (verified != user.isEmailVerified()) {
            user.setEmailVerified(verified);
            changed = true;
        }
        String[] names = NameRules.names(u, username);
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
        Map<String, List<String>> wanted = new LinkedHashMap<>(mapper.attributes(u, target.tenantId()));
        wanted.put(EntraUserMapper.ATTR_DISABLED_AT, List.of());
        wanted.put(EntraUserMapper.ATTR_DISABLED_REASON, List.of());
        if (extensions && extension != null) {
            if (extension.extension().isPresent()) {
                wanted.put(EntraUserMapper.ATTR_EXTENSION, List.of(extension.extension().get()));
                wanted.put(EntraUserMapper.ATTR_FLAG, List.of());
                if (extension.candidateConflict()) {
                    counts.problems.add(new SliceResult.Problem(false, u.id(), username, "the extension from " + config.extensionSource().orElse("?")
                            + " is held by someone else; got " + extension.extension().get() + " from the range"));
                }
            } else {
                wanted.put(EntraUserMapper.ATTR_FLAG, List.of(EntraUserMapper.FLAG_RANGE_EXHAUSTED));
                counts.problems.add(new SliceResult.Problem(false, u.id(), username, "no extension: range " + config.extensionRange()
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
}
