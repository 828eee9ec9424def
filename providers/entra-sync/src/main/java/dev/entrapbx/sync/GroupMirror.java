package dev.entrapbx.sync;

import dev.entrapbx.graph.GraphException;
import dev.entrapbx.sync.EntraSyncConfig.GroupMirrorMode;
import dev.entrapbx.sync.graph.GraphDirectory;
import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.jpa.entities.GroupEntity;
import org.keycloak.organization.OrganizationProvider;

/**
 * The Entra groups mirror, the run's last stage (after the users are written): Entra groups as
 * Keycloak groups, each a direct subgroup of the Organization's parent group
 * {@code "Entra groups: <organization alias>"} (a top-level group with attribute
 * {@value #ORGANIZATION_ATTRIBUTE} = the Organization's id), with attribute {@value #GROUP_ATTRIBUTE}
 * = the Entra group's object id, named after its display name ({@link MirrorPlan}), holding the users
 * of this component that are its direct members in Entra.
 *
 * <ol>
 * <li>Read (Graph only, nothing written yet): a full sync, or a run without a stored groups delta link
 *     (or without the parent group), reads a new groups delta round (every group with every member);
 *     a changed sync reads the round from the stored link (an expired one: a full round). Groups
 *     the round does not describe fully (new to the mirror, or entering the scope) are read one by one,
 *     and so are the groups of users the run added, whose earlier memberships the delta never tells.</li>
 * <li>Plan ({@link MirrorPlan}) against the groups under the parent and their synced members.</li>
 * <li>Apply through Keycloak's model (group created, renamed, removed; users join and leave), so
 *     Keycloak fires its group events: removals and renames in one transaction, creations and
 *     memberships in transactions of {@value #PER_TX}.</li>
 * <li>Only then store the groups delta link.</li>
 * </ol>
 * A read that fails changes nothing (no group, no membership) and keeps the link; the run says so.
 * Nothing outside the parent group is touched, and only users this component synced join or leave.
 */
final class GroupMirror {

    static final String ORGANIZATION_ATTRIBUTE = "entrapbx.organization";
    static final String GROUP_ATTRIBUTE = "entraGroupId";
    static final String PARENT_PREFIX = "Entra groups: ";

    /** Group creations or membership changes per transaction. */
    static final int PER_TX = 250;

    /** More users added by a changed run than this: the groups are read in full instead of per user. */
    static final int MAX_MEMBER_OF_READS = 200;

    /** What the stage did, for the run's message. */
    static final class Counts {
        int added;
        int renamed;
        int described;
        int removed;
        int joined;
        int left;

        String summary() {
            return added + " added, " + renamed + " renamed, " + removed + " removed; memberships: " + joined + " joined, "
                    + left + " left";
        }
    }

    private final RealmJobs jobs;
    private final String componentId;
    private final EntraSyncConfig config;
    private final GraphDirectory graph;
    private final SyncStateStore state;
    private final RunLog run;
    final Counts counts = new Counts();

    GroupMirror(RealmJobs jobs, String componentId, EntraSyncConfig config, GraphDirectory graph, SyncStateStore state, RunLog run) {
        this.jobs = jobs;
        this.componentId = componentId;
        this.config = config;
        this.graph = graph;
        this.state = state;
        this.run = run;
    }

    /** The parent group, found by its attribute (so an alias change renames it, never orphans it). */
    private record Parent(String id, String name) {
    }

    /**
     * Mirrors the groups; false when something failed (noted in the run log).
     *
     * @param fullSync   the run is "Sync all users"
     * @param organizationId the component's Organization
     * @param arrived    object ids of the users this run created or adopted
     */
    boolean run(boolean fullSync, String organizationId, Collection<String> arrived) {
        GroupMirrorMode mode = config.groupMirror();
        String storedLink = state.load().groupsDeltaLink();
        if (mode == GroupMirrorMode.NONE) {
            if (storedLink != null) {
                state.advanceGroups(null); // turned on again later, the mirror starts with a full read
            }
            return true;
        }
        String label = "Entra groups (" + mode.id() + "): ";
        Parent parent = jobs.get(s -> findParent(s, organizationId));
        boolean full = fullSync || storedLink == null || parent == null || arrived.size() > MAX_MEMBER_OF_READS;
        if (!fullSync && full) {
            run.note(label + (storedLink == null ? "no groups delta link stored yet" : parent == null ? "the parent group is missing"
                    : arrived.size() + " users were added") + ": read every group.");
        }

        // 1. read (Graph only)
        GroupRound round;
        Set<String> inScope;
        Map<String, MirrorPlan.Mirrored> current;
        List<String> otherNames = new ArrayList<>();
        try {
            round = read(full ? null : storedLink, label);
            inScope = mode == GroupMirrorMode.IN_SCOPE ? inScopeGroups() : null;
            current = parent == null ? Map.of() : jobs.get(s -> mirrored(s, parent.id(), otherNames));
            completeNewGroups(round, current, inScope);
            if (!round.full) {
                addMembershipsOfArrivedUsers(round, current, inScope, arrived);
            }
        } catch (GraphException e) {
            run.note(label + "not mirrored: " + e.getMessage() + ". No group or membership was changed; the groups delta link was"
                    + " not advanced.");
            return false;
        }

        // 2. plan
        List<MirrorPlan.Wanted> wanted = new ArrayList<>();
        for (GroupRound.Facts f : round.groups.values()) {
            if (inScope == null || inScope.contains(f.id)) {
                wanted.add(f.wanted());
            }
        }
        Set<String> remove = new LinkedHashSet<>();
        for (String id : current.keySet()) {
            boolean gone = round.full ? !round.groups.containsKey(id) : round.removed.containsKey(id);
            if (gone || (inScope != null && !inScope.contains(id))) {
                remove.add(id);
            }
        }
        if (inScope != null) {
            for (String id : inScope) {
                if (!round.groups.containsKey(id) && !current.containsKey(id)) {
                    run.note(label + "group " + id + " of the scope does not exist in Entra.");
                }
            }
        }
        Map<String, String> synced = jobs.get(s -> syncedUsers(RealmJobs.em(s), round, wanted));
        Map<String, Set<String>> currentMembers = jobs.get(s -> currentMembers(RealmJobs.em(s), current, wanted));
        MirrorPlan plan = MirrorPlan.plan(current, otherNames, wanted, remove, currentMembers, synced::containsKey);
        plan.skipped.forEach(why -> run.note(label + "not created: " + why + "."));

        // 3. apply
        try {
            String parentId = parent != null ? parent.id() : jobs.get(s -> createParent(s, organizationId));
            Map<String, String> groupIds = apply(plan, parentId, current);
            applyMemberships(plan, groupIds, synced, parentId);
        } catch (RuntimeException e) {
            run.note(label + counts.summary() + ", then stopped: " + RunLog.describe(e) + ". The groups delta link was not advanced;"
                    + " the next run picks up from it.");
            return false;
        }
        // 4. only now: everything the link covers is committed
        state.advanceGroups(round.deltaLink);
        run.note(label + counts.summary() + ".");
        return true;
    }

    // ------------------------------------------------------------------ reading

    /** A groups delta round from {@code link} (null: a full round); an expired link is noted and a full round read instead. */
    private GroupRound read(String link, String label) {
        try {
            return round(link);
        } catch (GraphException e) {
            if (link == null || !e.deltaTokenExpired()) {
                throw e;
            }
            run.note(label + "the stored groups delta link has expired (" + e.code() + "): read every group.");
            return round(null);
        }
    }

    private GroupRound round(String startLink) {
        GroupRound round = new GroupRound(startLink == null);
        String link = startLink;
        while (true) {
            GraphDirectory.GroupDeltaPage page = graph.groupsDelta(link);
            page.groups().forEach(round::accept);
            if (page.nextLink() == null) {
                round.deltaLink = page.deltaLink();
                return round;
            }
            link = page.nextLink();
        }
    }

    /** The groups of scope 'groups' and every group nested in them. */
    private Set<String> inScopeGroups() {
        Set<String> ids = new LinkedHashSet<>();
        for (String g : config.groupIds()) {
            ids.add(g);
            ids.addAll(graph.nestedGroups(g));
        }
        return ids;
    }

    /**
     * Groups to mirror that the round did not describe in full, as they are not mirrored yet (a changed
     * round only tells what changed): their name and every direct member, read one by one.
     */
    private void completeNewGroups(GroupRound round, Map<String, MirrorPlan.Mirrored> current, Set<String> inScope) {
        if (round.full) {
            return;
        }
        Set<String> candidates = new LinkedHashSet<>(round.groups.keySet());
        if (inScope != null) {
            candidates.retainAll(inScope);
            candidates.addAll(inScope);
        }
        for (String id : candidates) {
            if (current.containsKey(id) || round.removed.containsKey(id)) {
                continue;
            }
            var info = graph.group(id);
            if (info.isEmpty()) {
                round.groups.remove(id);
                continue;
            }
            GroupRound.Facts f = round.facts(id);
            f.complete = true;
            f.displayName = info.get().displayName();
            f.description = info.get().description();
            f.users.clear();
            f.usersRemoved.clear();
            f.users.addAll(graph.groupDirectUsers(id));
        }
    }

    /**
     * The memberships of users this (changed) run added: Graph's groups delta told them when they
     * happened, when these users were not synced yet, so they are read per user.
     */
    private void addMembershipsOfArrivedUsers(GroupRound round, Map<String, MirrorPlan.Mirrored> current, Set<String> inScope,
                                              Collection<String> arrived) {
        for (String oid : arrived) {
            for (String groupId : graph.userGroups(oid)) {
                boolean mirrored = current.containsKey(groupId) || round.groups.containsKey(groupId);
                if (!mirrored || round.removed.containsKey(groupId) || (inScope != null && !inScope.contains(groupId))) {
                    continue;
                }
                GroupRound.Facts f = round.facts(groupId);
                if (!f.complete) {
                    f.userAdded(oid);
                }
            }
        }
    }

    // ------------------------------------------------------------------ Keycloak side

    private Parent findParent(KeycloakSession s, String organizationId) {
        RealmModel realm = jobs.realm(s);
        List<String> ids = RealmJobs.em(s).createQuery("select a.group.id from GroupAttributeEntity a where a.name = :name"
                        + " and a.value = :org and a.group.realm = :realm and a.group.parentId = :top", String.class)
                .setParameter("name", ORGANIZATION_ATTRIBUTE).setParameter("org", organizationId).setParameter("realm", realm.getId())
                .setParameter("top", GroupEntity.TOP_PARENT_ID).getResultList();
        if (ids.isEmpty()) {
            return null;
        }
        GroupModel g = s.groups().getGroupById(realm, ids.get(0));
        if (g == null) {
            return null;
        }
        String wantedName = parentName(s, realm, organizationId);
        if (!g.getName().equals(wantedName) && s.groups().getGroupByName(realm, null, wantedName) == null) {
            g.setName(wantedName); // the Organization's alias changed
            return new Parent(g.getId(), wantedName);
        }
        return new Parent(g.getId(), g.getName());
    }

    private static String parentName(KeycloakSession s, RealmModel realm, String organizationId) {
        OrganizationModel org = s.getProvider(OrganizationProvider.class).getById(organizationId);
        if (org == null) {
            throw new IllegalStateException("organization " + organizationId + " is gone");
        }
        return PARENT_PREFIX + org.getAlias();
    }

    private String createParent(KeycloakSession s, String organizationId) {
        RealmModel realm = jobs.realm(s);
        String name = parentName(s, realm, organizationId);
        if (s.groups().getGroupByName(realm, null, name) != null) {
            throw new IllegalStateException("a top-level group '" + name + "' exists that is not this Organization's mirror"
                    + " (no attribute " + ORGANIZATION_ATTRIBUTE + "); rename it, or give it the attribute with the Organization's id");
        }
        GroupModel parent = s.groups().createGroup(realm, name);
        parent.setSingleAttribute(ORGANIZATION_ATTRIBUTE, organizationId);
        return parent.getId();
    }

    /** The mirrored groups under the parent, by Entra id; the names of its other subgroups go to {@code otherNames}. */
    private Map<String, MirrorPlan.Mirrored> mirrored(KeycloakSession s, String parentId, List<String> otherNames) {
        RealmModel realm = jobs.realm(s);
        GroupModel parent = s.groups().getGroupById(realm, parentId);
        Map<String, MirrorPlan.Mirrored> out = new LinkedHashMap<>();
        if (parent == null) {
            return out;
        }
        parent.getSubGroupsStream().forEach(g -> {
            String entraId = g.getFirstAttribute(GROUP_ATTRIBUTE);
            if (entraId == null || out.containsKey(entraId)) {
                otherNames.add(g.getName());
            } else {
                out.put(entraId, new MirrorPlan.Mirrored(g.getId(), entraId, g.getName(), g.getDescription()));
            }
        });
        return out;
    }

    /** Keycloak user id per object id, of the users of this component the round names (a full round: all of them). */
    private Map<String, String> syncedUsers(EntityManager em, GroupRound round, List<MirrorPlan.Wanted> wanted) {
        Map<String, String> out = new HashMap<>();
        if (round.full) {
            LocalUsers.synced(em, jobs.realmId(), componentId).forEach((oid, u) -> out.put(oid, u.userId()));
            return out;
        }
        Set<String> oids = new HashSet<>();
        for (MirrorPlan.Wanted w : wanted) {
            oids.addAll(w.users());
            oids.addAll(w.usersRemoved());
        }
        LocalUsers.synced(em, jobs.realmId(), componentId, oids).forEach((oid, u) -> out.put(oid, u.userId()));
        return out;
    }

    /** For the complete wanted groups that are mirrored: the object ids of their members synced by this component. */
    private Map<String, Set<String>> currentMembers(EntityManager em, Map<String, MirrorPlan.Mirrored> current,
                                                    List<MirrorPlan.Wanted> wanted) {
        Map<String, String> entraByGroup = new HashMap<>();
        for (MirrorPlan.Wanted w : wanted) {
            MirrorPlan.Mirrored m = current.get(w.entraId());
            if (w.complete() && m != null) {
                entraByGroup.put(m.groupId(), w.entraId());
            }
        }
        Map<String, Set<String>> out = new HashMap<>();
        for (List<String> chunk : LocalUsers.chunks(entraByGroup.keySet(), 500)) {
            for (Object[] r : em.createQuery("select m.groupId, a.value from UserGroupMembershipEntity m, UserAttributeEntity a"
                            + " where m.groupId in :groups and a.user = m.user and a.name = :oid and m.user.federationLink = :component",
                            Object[].class)
                    .setParameter("groups", chunk).setParameter("oid", EntraUserMapper.ATTR_OID)
                    .setParameter("component", componentId).getResultList()) {
                out.computeIfAbsent(entraByGroup.get((String) r[0]), k -> new HashSet<>()).add((String) r[1]);
            }
        }
        return out;
    }

    /** Removals, renames and description changes in one transaction, then creations; the Keycloak group id per Entra id. */
    private Map<String, String> apply(MirrorPlan plan, String parentId, Map<String, MirrorPlan.Mirrored> current) {
        Map<String, String> groupIds = new HashMap<>();
        current.forEach((entraId, m) -> groupIds.put(entraId, m.groupId()));
        if (!plan.removals.isEmpty() || !plan.renames.isEmpty() || !plan.descriptions.isEmpty()) {
            jobs.run(s -> {
                RealmModel realm = jobs.realm(s);
                EntityManager em = RealmJobs.em(s);
                int removed = 0;
                int renamed = 0;
                for (MirrorPlan.Mirrored m : plan.removals) {
                    GroupModel g = child(s, realm, m.groupId(), parentId);
                    if (g != null && s.groups().removeGroup(realm, g)) {
                        removed++;
                    }
                }
                em.flush(); // the names of removed groups are free before the renames
                Set<String> renamedIds = new HashSet<>();
                for (MirrorPlan.Rename r : plan.renames) {
                    GroupModel g = child(s, realm, r.groupId(), parentId);
                    if (g != null) {
                        g.setName(r.to());
                        em.flush(); // one step after the other: siblings never share a name
                        renamedIds.add(r.groupId());
                    }
                }
                renamed = renamedIds.size();
                for (MirrorPlan.Describe d : plan.descriptions) {
                    GroupModel g = child(s, realm, d.groupId(), parentId);
                    if (g != null) {
                        g.setDescription(d.description());
                    }
                }
                counts.removed = removed;
                counts.renamed = renamed;
                counts.described = plan.descriptions.size();
            });
        }
        for (List<MirrorPlan.Create> chunk : chunks(plan.creates, PER_TX)) {
            Map<String, String> made = jobs.get(s -> {
                RealmModel realm = jobs.realm(s);
                GroupModel parent = s.groups().getGroupById(realm, parentId);
                if (parent == null) {
                    throw new IllegalStateException("the parent group was removed during the run");
                }
                Map<String, String> ids = new HashMap<>();
                for (MirrorPlan.Create c : chunk) {
                    GroupModel g = s.groups().createGroup(realm, c.name(), parent);
                    g.setSingleAttribute(GROUP_ATTRIBUTE, c.entraId());
                    if (c.description() != null && !c.description().isBlank()) {
                        g.setDescription(c.description());
                    }
                    ids.put(c.entraId(), g.getId());
                }
                return ids;
            });
            groupIds.putAll(made);
            counts.added += made.size();
        }
        return groupIds;
    }

    /** Each group's joins and leaves, {@value #PER_TX} per transaction, through UserModel.joinGroup / leaveGroup. */
    private void applyMemberships(MirrorPlan plan, Map<String, String> groupIds, Map<String, String> synced, String parentId) {
        for (MirrorPlan.Membership m : plan.memberships.values()) {
            String groupId = groupIds.get(m.entraId());
            if (groupId == null) {
                continue;
            }
            List<String[]> steps = new ArrayList<>(); // {user id, "join"|"leave"}
            m.join().forEach(oid -> steps.add(new String[] {synced.get(oid), "join"}));
            m.leave().forEach(oid -> steps.add(new String[] {synced.get(oid), "leave"}));
            for (List<String[]> chunk : chunks(steps, PER_TX)) {
                int[] done = jobs.get(s -> {
                    RealmModel realm = jobs.realm(s);
                    GroupModel group = child(s, realm, groupId, parentId);
                    if (group == null) {
                        throw new IllegalStateException("mirrored group " + groupId + " was removed during the run");
                    }
                    Set<String> members = directMembers(RealmJobs.em(s), groupId, chunk.stream().map(st -> st[0]).toList());
                    int joined = 0;
                    int left = 0;
                    for (String[] step : chunk) {
                        boolean join = step[1].equals("join");
                        if (join == members.contains(step[0])) {
                            continue; // already as Entra says
                        }
                        UserModel user = s.users().getUserById(realm, step[0]);
                        if (user == null) {
                            continue;
                        }
                        if (join) {
                            user.joinGroup(group);
                            joined++;
                        } else {
                            user.leaveGroup(group);
                            left++;
                        }
                    }
                    return new int[] {joined, left};
                });
                counts.joined += done[0];
                counts.left += done[1];
            }
        }
    }

    /** A group that is a direct subgroup of the parent, else null (never anything outside it). */
    private static GroupModel child(KeycloakSession s, RealmModel realm, String groupId, String parentId) {
        GroupModel g = s.groups().getGroupById(realm, groupId);
        return g != null && parentId.equals(g.getParentId()) ? g : null;
    }

    private static Set<String> directMembers(EntityManager em, String groupId, List<String> userIds) {
        return new HashSet<>(em.createQuery("select m.user.id from UserGroupMembershipEntity m where m.groupId = :group"
                        + " and m.user.id in :users", String.class)
                .setParameter("group", groupId).setParameter("users", userIds).getResultList());
    }

    private static <T> List<List<T>> chunks(List<T> all, int size) {
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += size) {
            out.add(all.subList(i, Math.min(all.size(), i + size)));
        }
        return out;
    }
}
