package dev.entrapbx.sync;

import jakarta.persistence.EntityManager;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.keycloak.models.jpa.entities.OrganizationEntity;

/**
 * Set-at-a-time reads of Keycloak's own user tables for a page or a whole component (ids and a
 * few attributes, never whole users), so a page costs a few queries instead of a few per user.
 */
public final class LocalUsers {

    private static final int IN_LIMIT = 1000;

    private LocalUsers() {
    }

    /**
     * Keycloak user id per Entra object id, for those of {@code oids} that exist in the realm. Two
     * index lookups (attribute by name and value, then user by primary key) rather than one join:
     * with the join, a planner whose statistics lag behind a growing import (autovacuum not yet run)
     * walks every user of the realm per slice, which made a 20,000-user import quadratic.
     */
    static Map<String, String> userIdsByOid(EntityManager em, String realmId, Collection<String> oids) {
        Map<String, String> byUser = new HashMap<>();
        for (List<String> chunk : chunks(oids, IN_LIMIT)) {
            for (Object[] r : em.createQuery("select a.value, a.user.id from UserAttributeEntity a where a.name = :name and a.value in :oids",
                            Object[].class)
                    .setParameter("name", EntraUserMapper.ATTR_OID).setParameter("oids", chunk).getResultList()) {
                byUser.put((String) r[1], (String) r[0]);
            }
        }
        Map<String, String> out = new HashMap<>();
        for (List<String> chunk : chunks(byUser.keySet(), IN_LIMIT)) {
            for (String userId : em.createQuery("select u.id from UserEntity u where u.id in :ids and u.realmId = :realm", String.class)
                    .setParameter("ids", chunk).setParameter("realm", realmId).getResultList()) {
                out.put(byUser.get(userId), userId);
            }
        }
        return out;
    }

    /**
     * Keycloak user id per Entra object id of every user of the realm linked through one of the
     * identity providers {@code aliases} (the brokered user id of an {@code entra-id} provider is the
     * object id) that this component does not sync: the users it may adopt ({@link Adoption}). One
     * query per run, at its first new user: a per-slice lookup by object id read all the links of
     * the provider as the import grew (the provider, not the object id, leads Keycloak's key), which
     * made a 100,000-user import quadratic.
     */
    static Map<String, String> adoptionCandidates(EntityManager em, String realmId, Collection<String> aliases, String componentId) {
        return adoptionCandidates(em, realmId, aliases, componentId, null);
    }

    /**
     * {@link #adoptionCandidates} for these object ids only, read now: the users who signed in through
     * Microsoft after the run read its candidates.
     */
    static Map<String, String> adoptionCandidatesAmong(EntityManager em, String realmId, Collection<String> aliases, String componentId,
                                                      Collection<String> oids) {
        Map<String, String> out = new HashMap<>();
        for (List<String> chunk : chunks(oids, IN_LIMIT)) {
            adoptionCandidates(em, realmId, aliases, componentId, chunk).forEach(out::putIfAbsent);
        }
        return out;
    }

    /** The one query of both: every candidate, or those with these object ids ({@code oids} null for all). */
    private static Map<String, String> adoptionCandidates(EntityManager em, String realmId, Collection<String> aliases, String componentId,
                                                          List<String> oids) {
        Map<String, String> out = new HashMap<>();
        if (aliases.isEmpty()) {
            return out;
        }
        var query = em.createQuery("select f.userId, u.id from FederatedIdentityEntity f join f.user u where f.realmId = :realm"
                        + " and f.identityProvider in :aliases" + (oids == null ? "" : " and f.userId in :oids")
                        + " and (u.federationLink is null or u.federationLink <> :component)", Object[].class)
                .setParameter("realm", realmId).setParameter("aliases", aliases).setParameter("component", componentId);
        if (oids != null) {
            query.setParameter("oids", oids);
        }
        for (Object[] r : query.getResultList()) {
            out.putIfAbsent((String) r[0], (String) r[1]);
        }
        return out;
    }

    record Taken(Set<String> usernames, Set<String> emails) {
    }

    /** Which of these usernames and emails some user of the realm already has. */
    static Taken taken(EntityManager em, String realmId, Collection<String> usernames, Collection<String> emails) {
        Set<String> names = new HashSet<>();
        for (List<String> chunk : chunks(usernames, IN_LIMIT)) {
            names.addAll(em.createQuery("select u.username from UserEntity u where u.realmId = :realm and u.username in :names", String.class)
                    .setParameter("realm", realmId).setParameter("names", chunk).getResultList());
        }
        Set<String> mails = new HashSet<>();
        for (List<String> chunk : chunks(emails, IN_LIMIT)) {
            mails.addAll(em.createQuery("select u.email from UserEntity u where u.realmId = :realm and u.email in :emails", String.class)
                    .setParameter("realm", realmId).setParameter("emails", chunk).getResultList());
        }
        return new Taken(names, mails);
    }

    /**
     * The factory's {@code preRemove} only, until it switches to {@link #synced(EntityManager, String, String)}.
     *
     * @deprecated use {@link #synced(EntityManager, String, String)}
     */
    /** Every user this component imported: object id -> (user id, enabled, when the sync disabled it). */
    static Map<String, SyncedUser> synced(EntityManager em, String realmId, String componentId) {
        Map<String, String> disabledAt = new HashMap<>();
        for (Object[] r : em.createQuery("select u.id, a.value from UserAttributeEntity a join a.user u"
                        + " where u.realmId = :realm and u.federationLink = :component and a.name = :name", Object[].class)
                .setParameter("realm", realmId).setParameter("component", componentId)
                .setParameter("name", EntraUserMapper.ATTR_DISABLED_AT).getResultList()) {
            disabledAt.put((String) r[0], (String) r[1]);
        }
        Map<String, SyncedUser> out = new HashMap<>();
        for (Object[] r : em.createQuery("select a.value, u.id, u.enabled from UserAttributeEntity a join a.user u"
                        + " where u.realmId = :realm and u.federationLink = :component and a.name = :name", Object[].class)
                .setParameter("realm", realmId).setParameter("component", componentId)
                .setParameter("name", EntraUserMapper.ATTR_OID).getResultList()) {
            String userId = (String) r[1];
            out.put((String) r[0], new SyncedUser(userId, Boolean.TRUE.equals(r[2]), disabledAt.get(userId)));
        }
        return out;
    }

    /** Those of {@code oids} that this component imported (index lookups only, whatever the directory's size). */
    static Map<String, SyncedUser> synced(EntityManager em, String realmId, String componentId, Collection<String> oids) {
        Map<String, String> ids = userIdsByOid(em, realmId, oids);
        Map<String, String> oidByUser = new HashMap<>();
        ids.forEach((oid, userId) -> oidByUser.put(userId, oid));
        Map<String, SyncedUser> out = new HashMap<>();
        for (List<String> chunk : chunks(oidByUser.keySet(), IN_LIMIT)) {
            Map<String, String> disabledAt = new HashMap<>();
            for (Object[] r : em.createQuery("select a.user.id, a.value from UserAttributeEntity a where a.name = :name and a.user.id in :ids",
                    Object[].class).setParameter("name", EntraUserMapper.ATTR_DISABLED_AT).setParameter("ids", chunk).getResultList()) {
                disabledAt.put((String) r[0], (String) r[1]);
            }
            for (Object[] r : em.createQuery("select u.id, u.enabled from UserEntity u where u.id in :ids and u.federationLink = :component",
                    Object[].class).setParameter("ids", chunk).setParameter("component", componentId).getResultList()) {
                String userId = (String) r[0];
                out.put(oidByUser.get(userId), new SyncedUser(userId, Boolean.TRUE.equals(r[1]), disabledAt.get(userId)));
            }
        }
        return out;
    }

    /** The component's users that the sync disabled (their grace period runs), by object id. */
    static Map<String, SyncedUser> disabledBySync(EntityManager em, String realmId, String componentId) {
        Map<String, SyncedUser> out = new HashMap<>();
        for (Object[] r : em.createQuery("select o.value, u.id, u.enabled, d.value from UserAttributeEntity d join d.user u,"
                        + " UserAttributeEntity o where d.name = :disabled and o.user = u and o.name = :oid"
                        + " and u.realmId = :realm and u.federationLink = :component", Object[].class)
                .setParameter("disabled", EntraUserMapper.ATTR_DISABLED_AT).setParameter("oid", EntraUserMapper.ATTR_OID)
                .setParameter("realm", realmId).setParameter("component", componentId).getResultList()) {
            out.put((String) r[0], new SyncedUser((String) r[1], Boolean.TRUE.equals(r[2]), (String) r[3]));
        }
        return out;
    }

    /** How many users this component imported. */
    public static int countOfComponent(EntityManager em, String realmId, String componentId) {
        return em.createQuery("select count(u) from UserEntity u where u.realmId = :realm and u.federationLink = :component", Long.class)
                .setParameter("realm", realmId).setParameter("component", componentId).getSingleResult().intValue();
    }

    /** The id of the organization's internal members group (Keycloak keeps organization membership as group membership). */
    static String organizationGroupId(EntityManager em, String organizationId) {
        OrganizationEntity org = em.find(OrganizationEntity.class, organizationId);
        if (org == null || org.getGroupId() == null) {
            throw new IllegalStateException("organization " + organizationId + " is gone");
        }
        return org.getGroupId();
    }

    /** The values in consecutive slices of at most {@code size} (IN lists, transactions, Graph's 15 ids per filter). */
    static List<List<String>> chunks(Collection<String> values, int size) {
        List<String> all = List.copyOf(values);
        List<List<String>> out = new java.util.ArrayList<>();
        for (int i = 0; i < all.size(); i += size) {
            out.add(all.subList(i, Math.min(all.size(), i + size)));
        }
        return out;
    }
}
