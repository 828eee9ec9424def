package dev.entrapbx.simulator.directory;

import dev.entrapbx.simulator.directory.ChangeEvent.ChangeType;
import dev.entrapbx.simulator.directory.ChangeEvent.ResourceKind;
import dev.entrapbx.simulator.model.DirectoryObject;
import dev.entrapbx.simulator.model.Group;
import dev.entrapbx.simulator.model.Ids;
import dev.entrapbx.simulator.model.MemberRef;
import dev.entrapbx.simulator.model.Photo;
import dev.entrapbx.simulator.model.Tenant;
import dev.entrapbx.simulator.model.User;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * All state of one tenant - users, deleted users, groups, memberships, photos and the change log - guarded by
 * one read-write lock. Every mutation appends to the change log inside the same critical section, so the log
 * and the objects never disagree.
 */
final class TenantStore implements TenantReader {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile Tenant tenant;
    private final TreeMap<String, User> users = new TreeMap<>();
    private final Map<String, String> upnIndex = new HashMap<>();
    private final TreeMap<String, User> deletedUsers = new TreeMap<>();
    private final TreeMap<String, Group> groups = new TreeMap<>();
    private final Map<String, LinkedHashSet<MemberRef>> members = new HashMap<>();
    private final Map<String, Set<String>> memberOf = new HashMap<>();
    private final Map<String, Photo> photos = new HashMap<>();
    private final ChangeLog log;
    private final long epoch = RANDOM.nextLong() & Long.MAX_VALUE;
    private long deltaExpiryGeneration;
    private long deltaResyncGeneration;
    private long generatedUsers;

    /** @param listener told of every change-log entry, inside the write lock (it must not block or call back) */
    TenantStore(Tenant tenant, java.util.function.Consumer<ChangeEvent> listener) {
        this.tenant = tenant;
        this.log = new ChangeLog(listener);
    }

    <T> T read(Function<TenantReader, T> reader) {
        lock.readLock().lock();
        try {
            return reader.apply(this);
        } finally {
            lock.readLock().unlock();
        }
    }

    private <T> T write(Supplier<T> action) {
        lock.writeLock().lock();
        try {
            return action.get();
        } finally {
            lock.writeLock().unlock();
        }
    }

    // ---------------------------------------------------------------- TenantReader

    @Override
    public Tenant tenant() { return tenant; }

    @Override
    public NavigableMap<String, User> users() { return Collections.unmodifiableNavigableMap(users); }

    @Override
    public NavigableMap<String, User> deletedUsers() { return Collections.unmodifiableNavigableMap(deletedUsers); }

    @Override
    public Optional<User> user(String idOrUpn) {
        if (idOrUpn == null) {
            return Optional.empty();
        }
        User byId = users.get(idOrUpn.toLowerCase(Locale.ROOT));
        if (byId != null) {
            return Optional.of(byId);
        }
        String id = upnIndex.get(idOrUpn.toLowerCase(Locale.ROOT));
        return id == null ? Optional.empty() : Optional.ofNullable(users.get(id));
    }

    @Override
    public NavigableMap<String, Group> groups() { return Collections.unmodifiableNavigableMap(groups); }

    @Override
    public Optional<Group> group(String id) {
        return id == null ? Optional.empty() : Optional.ofNullable(groups.get(id.toLowerCase(Locale.ROOT)));
    }

    @Override
    public List<MemberRef> members(String groupId) {
        LinkedHashSet<MemberRef> m = members.get(groupId);
        return m == null ? List.of() : List.copyOf(m);
    }

    @Override
    public Set<String> memberOf(String memberId) {
        Set<String> s = memberOf.get(memberId);
        return s == null ? Set.of() : Set.copyOf(s);
    }

    @Override
    public Optional<Photo> photo(String userId) { return Optional.ofNullable(photos.get(userId)); }

    @Override
    public ChangeHistory changes() { return log; }

    @Override
    public long deltaEpoch() { return epoch; }

    @Override
    public long deltaExpiryGeneration() { return deltaExpiryGeneration; }

    @Override
    public long deltaResyncGeneration() { return deltaResyncGeneration; }

    // ---------------------------------------------------------------- tenant

    Tenant updateTenant(UnaryOperator<Tenant> change) {
        return write(() -> {
            tenant = change.apply(tenant);
            return tenant;
        });
    }

    void expireDeltaTokens() {
        write(() -> {
            deltaExpiryGeneration++;
            // Events before now can never be asked for again: free them.
            log.trimBefore(log.head() + 1);
            return null;
        });
    }

    void requireDeltaResync() {
        write(() -> {
            deltaResyncGeneration++;
            return null;
        });
    }

    // ---------------------------------------------------------------- users

    User createUser(User.Builder builder) {
        return write(() -> insertUser(builder));
    }

    /** Creates many users under one lock acquisition. */
    List<User> createUsers(List<User.Builder> builders) {
        return write(() -> {
            List<User> created = new ArrayList<>(builders.size());
            for (User.Builder b : builders) {
                created.add(insertUser(b));
            }
            return created;
        });
    }

    long nextGeneratedIndex(int count) {
        return write(() -> {
            long first = generatedUsers + 1;
            generatedUsers += count;
            return first;
        });
    }

    private User insertUser(User.Builder builder) {
        if (builder.value("id") == null) {
            builder.id(Ids.newGuid());
        }
        builder.set("createdDateTime", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        User user = builder.build();
        checkUpnDomain(user);
        String upnKey = user.userPrincipalName().toLowerCase(Locale.ROOT);
        if (users.containsKey(user.id()) || deletedUsers.containsKey(user.id()) || groups.containsKey(user.id())) {
            throw DirectoryException.conflict("An object with id " + user.id() + " already exists");
        }
        if (upnIndex.containsKey(upnKey)) {
            throw DirectoryException.conflict("Another object with the same value for property userPrincipalName "
                    + "already exists: " + user.userPrincipalName());
        }
        users.put(user.id(), user);
        upnIndex.put(upnKey, user.id());
        log.append(ResourceKind.USER, user.id(), ChangeType.CREATED, null, null);
        return user;
    }

    User updateUser(String idOrUpn, UnaryOperator<User.Builder> change) {
        return write(() -> {
            User before = user(idOrUpn).orElseThrow(() -> userNotFound(idOrUpn));
            User.Builder b = change.apply(before.toBuilder());
            b.id(before.id());
            b.set("createdDateTime", before.createdDateTime());
            User after = b.build();
            checkUpnDomain(after);
            String oldKey = before.userPrincipalName().toLowerCase(Locale.ROOT);
            String newKey = after.userPrincipalName().toLowerCase(Locale.ROOT);
            if (!oldKey.equals(newKey)) {
                if (upnIndex.containsKey(newKey)) {
                    throw DirectoryException.conflict("Another object with the same value for property "
                            + "userPrincipalName already exists: " + after.userPrincipalName());
                }
                upnIndex.remove(oldKey);
                upnIndex.put(newKey, after.id());
            }
            users.put(after.id(), after);
            Set<String> changed = DirectoryObject.changedProperties(before, after);
            if (!changed.isEmpty()) {
                log.append(ResourceKind.USER, after.id(), ChangeType.UPDATED, changed, null);
            }
            return after;
        });
    }

    User softDeleteUser(String idOrUpn) {
        return write(() -> {
            User user = user(idOrUpn).orElseThrow(() -> userNotFound(idOrUpn));
            removeActiveUser(user);
            deletedUsers.put(user.id(), user);
            log.append(ResourceKind.USER, user.id(), ChangeType.SOFT_DELETED, null, null);
            return user;
        });
    }

    User hardDeleteUser(String idOrUpn) {
        return write(() -> {
            User user = user(idOrUpn).orElse(null);
            if (user != null) {
                removeActiveUser(user);
            } else {
                user = deletedUsers.remove(idOrUpn == null ? null : idOrUpn.toLowerCase(Locale.ROOT));
                if (user == null) {
                    throw userNotFound(idOrUpn);
                }
            }
            photos.remove(user.id());
            log.append(ResourceKind.USER, user.id(), ChangeType.HARD_DELETED, null, null);
            return user;
        });
    }

    User restoreUser(String id) {
        return write(() -> {
            User user = deletedUsers.get(id.toLowerCase(Locale.ROOT));
            if (user == null) {
                throw DirectoryException.notFound("No deleted user with id " + id);
            }
            String upnKey = user.userPrincipalName().toLowerCase(Locale.ROOT);
            if (upnIndex.containsKey(upnKey)) {
                throw DirectoryException.conflict("Cannot restore: userPrincipalName " + user.userPrincipalName()
                        + " is now used by another user");
            }
            deletedUsers.remove(user.id());
            users.put(user.id(), user);
            upnIndex.put(upnKey, user.id());
            log.append(ResourceKind.USER, user.id(), ChangeType.RESTORED, null, null);
            return user;
        });
    }

    private void removeActiveUser(User user) {
        users.remove(user.id());
        upnIndex.remove(user.userPrincipalName().toLowerCase(Locale.ROOT));
        // Entra drops the memberships of a deleted user; groups delta reports them as removed members.
        for (String groupId : new ArrayList<>(memberOf.getOrDefault(user.id(), Set.of()))) {
            unlink(groupId, MemberRef.user(user.id()));
        }
    }

    private void checkUpnDomain(User user) {
        String domain = user.upnDomain();
        if (tenant.domain(domain).isEmpty()) {
            throw DirectoryException.invalid("The domain portion of the userPrincipalName property is invalid: '"
                    + domain + "' is not a domain of tenant " + tenant.displayName()
                    + " (domains: " + tenant.domains().stream().map(d -> d.name()).toList() + ")");
        }
    }

    private static DirectoryException userNotFound(String idOrUpn) {
        return DirectoryException.notFound("Resource '" + idOrUpn + "' does not exist or one of its queried "
                + "reference-property objects are not present.");
    }

    // ---------------------------------------------------------------- photos

    void setPhoto(String userIdOrUpn, Photo photo) {
        write(() -> {
            User user = user(userIdOrUpn).orElseThrow(() -> userNotFound(userIdOrUpn));
            photos.put(user.id(), photo);
            return null;
        });
    }

    boolean removePhoto(String userIdOrUpn) {
        return write(() -> {
            User user = user(userIdOrUpn).orElseThrow(() -> userNotFound(userIdOrUpn));
            return photos.remove(user.id()) != null;
        });
    }

    // ---------------------------------------------------------------- groups

    Group createGroup(Group.Builder builder) {
        return write(() -> {
            if (builder.value("id") == null) {
                builder.id(Ids.newGuid());
            }
            builder.set("createdDateTime", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
            Group group = builder.build();
            if (groups.containsKey(group.id()) || users.containsKey(group.id()) || deletedUsers.containsKey(group.id())) {
                throw DirectoryException.conflict("An object with id " + group.id() + " already exists");
            }
            groups.put(group.id(), group);
            members.put(group.id(), new LinkedHashSet<>());
            log.append(ResourceKind.GROUP, group.id(), ChangeType.CREATED, null, null);
            return group;
        });
    }

    Group updateGroup(String id, UnaryOperator<Group.Builder> change) {
        return write(() -> {
            Group before = group(id).orElseThrow(() -> groupNotFound(id));
            Group.Builder b = change.apply(before.toBuilder());
            b.id(before.id());
            b.set("createdDateTime", before.values().get("createdDateTime"));
            Group after = b.build();
            groups.put(after.id(), after);
            Set<String> changed = DirectoryObject.changedProperties(before, after);
            if (!changed.isEmpty()) {
                log.append(ResourceKind.GROUP, after.id(), ChangeType.UPDATED, changed, null);
            }
            return after;
        });
    }

    Group deleteGroup(String id) {
        return write(() -> {
            Group group = group(id).orElseThrow(() -> groupNotFound(id));
            for (MemberRef m : new ArrayList<>(members.getOrDefault(group.id(), new LinkedHashSet<>()))) {
                unlinkSilently(group.id(), m);
            }
            for (String parent : new ArrayList<>(memberOf.getOrDefault(group.id(), Set.of()))) {
                unlink(parent, MemberRef.group(group.id()));
            }
            groups.remove(group.id());
            members.remove(group.id());
            log.append(ResourceKind.GROUP, group.id(), ChangeType.HARD_DELETED, null, null);
            return group;
        });
    }

    MemberRef addMember(String groupId, String memberId) {
        return write(() -> {
            Group group = group(groupId).orElseThrow(() -> groupNotFound(groupId));
            MemberRef ref = resolveMember(memberId);
            if (ref.id().equals(group.id())) {
                throw DirectoryException.invalid("A group cannot be a member of itself");
            }
            if (!members.get(group.id()).add(ref)) {
                throw DirectoryException.conflict("One or more added object references already exist for the "
                        + "following modified properties: 'members'.");
            }
            memberOf.computeIfAbsent(ref.id(), k -> new HashSet<>()).add(group.id());
            log.append(ResourceKind.GROUP, group.id(), ChangeType.MEMBER_ADDED, null, ref);
            return ref;
        });
    }

    void removeMember(String groupId, String memberId) {
        write(() -> {
            Group group = group(groupId).orElseThrow(() -> groupNotFound(groupId));
            MemberRef ref = members.get(group.id()).stream()
                    .filter(m -> m.id().equalsIgnoreCase(memberId)).findFirst()
                    .orElseThrow(() -> DirectoryException.notFound("'" + memberId + "' is not a member of group "
                            + group.displayName()));
            unlink(group.id(), ref);
            return null;
        });
    }

    private MemberRef resolveMember(String idOrUpn) {
        Optional<User> user = user(idOrUpn);
        if (user.isPresent()) {
            return MemberRef.user(user.get().id());
        }
        if (group(idOrUpn).isPresent()) {
            return MemberRef.group(idOrUpn.toLowerCase(Locale.ROOT));
        }
        throw DirectoryException.notFound("No user or group '" + idOrUpn + "' in tenant " + tenant.displayName());
    }

    private void unlink(String groupId, MemberRef ref) {
        unlinkSilently(groupId, ref);
        log.append(ResourceKind.GROUP, groupId, ChangeType.MEMBER_REMOVED, null, ref);
    }

    private void unlinkSilently(String groupId, MemberRef ref) {
        LinkedHashSet<MemberRef> m = members.get(groupId);
        if (m != null) {
            m.remove(ref);
        }
        Set<String> parents = memberOf.get(ref.id());
        if (parents != null) {
            parents.remove(groupId);
            if (parents.isEmpty()) {
                memberOf.remove(ref.id());
            }
        }
    }

    private static DirectoryException groupNotFound(String id) {
        return DirectoryException.notFound("Resource '" + id + "' does not exist or one of its queried "
                + "reference-property objects are not present.");
    }
}
