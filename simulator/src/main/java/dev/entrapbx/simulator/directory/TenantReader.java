package dev.entrapbx.simulator.directory;

import dev.entrapbx.simulator.model.Group;
import dev.entrapbx.simulator.model.MemberRef;
import dev.entrapbx.simulator.model.Photo;
import dev.entrapbx.simulator.model.Tenant;
import dev.entrapbx.simulator.model.User;

import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;

/**
 * Consistent read access to one tenant, valid only inside {@link Directory#read}: the tenant's read lock is
 * held, so collections are live, unmodifiable views that must not escape the callback.
 */
public interface TenantReader {
    Tenant tenant();

    /** Active users by object id (id order). */
    NavigableMap<String, User> users();

    /** Soft-deleted (restorable) users by object id. */
    NavigableMap<String, User> deletedUsers();

    /** An active user by object id or user principal name (case-insensitive). */
    Optional<User> user(String idOrUpn);

    NavigableMap<String, Group> groups();

    Optional<Group> group(String id);

    /** Direct members of a group in the order they were added. */
    List<MemberRef> members(String groupId);

    /** Ids of the groups this user or group is a direct member of. */
    Set<String> memberOf(String memberId);

    Optional<Photo> photo(String userId);

    ChangeHistory changes();

    /** Changes when the tenant's state is reset: tokens of an older epoch are invalid. */
    long deltaEpoch();

    /** Incremented when delta tokens expire: tokens of an older generation fail with {@code syncStateNotFound}. */
    long deltaExpiryGeneration();

    /** Incremented when a synchronization reset is forced: tokens of an older generation get 410 Gone. */
    long deltaResyncGeneration();
}
