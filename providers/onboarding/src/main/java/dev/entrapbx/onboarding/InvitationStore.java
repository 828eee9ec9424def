package dev.entrapbx.onboarding;

import dev.entrapbx.kc.Jdbc;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The invitations table, {@code ENTRAPBX_ONBOARDING} (plain JDBC on the session's transaction, see
 * {@link dev.entrapbx.kc.Db}). Secrets are stored as SHA-256 hashes; a consent is claimed with one
 * conditional UPDATE, so two returns with the same state (a reload, a second tab, a replay) link
 * the customer once.
 */
public final class InvitationStore {

    /** A claim not finished within this time (its node died) may be claimed again. */
    public static final Duration CLAIM_TIMEOUT = Duration.ofMinutes(10);

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String COLUMNS = "ID, REALM_ID, ORG_ID, NAME, DOMAINS, EXTENSION_RANGE, STATUS, CREATED_AT, CREATED_BY, EXPIRES_AT, "
            + "CLAIMED_AT, LINKED_AT, TENANT_ID, PAST_TENANT_ID, IDP_ALIAS, COMPONENT_ID, RUN_ID, DETAIL, OFFBOARDED_AT";

    private InvitationStore() {
    }

    /** A new random secret (link token or consent state), URL-safe, 256 bits. */
    public static String newSecret() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** SHA-256 of a secret, hex: what the table keeps. */
    public static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void insert(Jdbc db, Invitation i, String tokenHash) throws SQLException {
        db.update("INSERT INTO #ENTRAPBX_ONBOARDING (ID, REALM_ID, ORG_ID, NAME, DOMAINS, EXTENSION_RANGE, TOKEN_HASH, STATUS, CREATED_AT, "
                        + "CREATED_BY, EXPIRES_AT) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                i.id(), i.realmId(), i.organizationId(), i.name(), String.join(",", i.domains()), i.extensionRange().orElse(null), tokenHash,
                i.status().name(), i.createdAt().toEpochMilli(), i.createdBy().orElse(null), i.expiresAt().toEpochMilli());
    }

    public static Optional<Invitation> byTokenHash(Jdbc db, String realmId, String tokenHash) throws SQLException {
        return one(db, "REALM_ID = ? AND TOKEN_HASH = ?", realmId, tokenHash);
    }

    public static Optional<Invitation> byStateHash(Jdbc db, String realmId, String stateHash) throws SQLException {
        return one(db, "REALM_ID = ? AND STATE_HASH = ?", realmId, stateHash);
    }

    public static Optional<Invitation> byId(Jdbc db, String realmId, String id) throws SQLException {
        return one(db, "REALM_ID = ? AND ID = ?", realmId, id);
    }

    /** The invitation that made (or last linked) this Organization. */
    public static Optional<Invitation> byOrganization(Jdbc db, String realmId, String orgId) throws SQLException {
        List<Invitation> all = list(db, "REALM_ID = ? AND ORG_ID = ? ORDER BY CREATED_AT DESC", 0, 1, realmId, orgId);
        return all.stream().findFirst();
    }

    /** The invitation whose customer is linked to this tenant, if any. */
    public static Optional<Invitation> byTenant(Jdbc db, String realmId, String tenantId) throws SQLException {
        return one(db, "REALM_ID = ? AND TENANT_ID = ?", realmId, tenantId);
    }

    /** A realm's invitations, newest first; {@code status} null for all. */
    public static List<Invitation> page(Jdbc db, String realmId, Invitation.Status status, int first, int max) throws SQLException {
        return status == null ? list(db, "REALM_ID = ? ORDER BY CREATED_AT DESC, ID", first, max, realmId)
                : list(db, "REALM_ID = ? AND STATUS = ? ORDER BY CREATED_AT DESC, ID", first, max, realmId, status.name());
    }

    /** A new consent round from the invitation page: its state (hash) replaces any earlier round's. */
    public static boolean startRound(Jdbc db, String id, String stateHash, Instant now) throws SQLException {
        return db.update("UPDATE #ENTRAPBX_ONBOARDING SET STATE_HASH = ?, STATUS = 'PENDING', CLAIMED_AT = NULL WHERE ID = ? AND "
                + usableStatus(now) + " AND EXPIRES_AT > ?", stateHash, id, now.toEpochMilli()) == 1;
    }

    /**
     * Claims the pending, unexpired invitation of this consent round for linking (or one whose claim
     * timed out); false when another request claimed it, it was used, or it expired.
     */
    public static boolean claim(Jdbc db, String id, String stateHash, Instant now) throws SQLException {
        return db.update("UPDATE #ENTRAPBX_ONBOARDING SET STATUS = 'LINKING', CLAIMED_AT = ? WHERE ID = ? AND STATE_HASH = ? AND EXPIRES_AT > ? "
                        + "AND (STATUS = 'PENDING' OR (STATUS = 'LINKING' AND CLAIMED_AT < ?))",
                now.toEpochMilli(), id, stateHash, now.toEpochMilli(), now.minus(CLAIM_TIMEOUT).toEpochMilli()) == 1;
    }

    /** The claim made at {@code claimedAt} failed (nothing was created): back to PENDING, with what happened. */
    public static void release(Jdbc db, String id, Instant claimedAt, String detail) throws SQLException {
        db.update("UPDATE #ENTRAPBX_ONBOARDING SET STATUS = 'PENDING', CLAIMED_AT = NULL, DETAIL = ? WHERE ID = ? AND STATUS = 'LINKING' "
                + "AND CLAIMED_AT = ?", truncate(detail), id, claimedAt.toEpochMilli());
    }

    /**
     * Linked by the claim made at {@code claimedAt}: the tenant, identity provider and sync now belong to
     * the Organization. False (nothing changed) when that claim timed out and another took over.
     */
    public static boolean linked(Jdbc db, String id, Instant claimedAt, String tenantId, String idpAlias, String componentId, Instant now)
            throws SQLException {
        return db.update("UPDATE #ENTRAPBX_ONBOARDING SET STATUS = 'LINKED', TENANT_ID = ?, IDP_ALIAS = ?, COMPONENT_ID = ?, LINKED_AT = ?, "
                + "DETAIL = NULL WHERE ID = ? AND STATUS = 'LINKING' AND CLAIMED_AT = ?", tenantId, idpAlias, componentId, now.toEpochMilli(), id,
                claimedAt.toEpochMilli()) == 1;
    }

    /** PENDING, or LINKING by a claim older than {@link #CLAIM_TIMEOUT} (its node died): usable again. */
    static String usableStatus(Instant now) {
        return "(STATUS = 'PENDING' OR (STATUS = 'LINKING' AND CLAIMED_AT < " + now.minus(CLAIM_TIMEOUT).toEpochMilli() + "))";
    }

    /** The first full sync's run, and what the test connection said. */
    public static void firstRun(Jdbc db, String id, String runId, String detail) throws SQLException {
        db.update("UPDATE #ENTRAPBX_ONBOARDING SET RUN_ID = ?, DETAIL = ? WHERE ID = ?", runId, truncate(detail), id);
    }

    public static boolean cancel(Jdbc db, String id, Instant now) throws SQLException {
        return db.update("UPDATE #ENTRAPBX_ONBOARDING SET STATUS = 'CANCELLED', STATE_HASH = NULL WHERE ID = ? AND " + usableStatus(now), id) == 1;
    }

    /** Offboarded: the tenant is free again (kept as the past tenant). */
    public static void offboarded(Jdbc db, String id, Instant now) throws SQLException {
        db.update("UPDATE #ENTRAPBX_ONBOARDING SET STATUS = 'OFFBOARDED', PAST_TENANT_ID = TENANT_ID, TENANT_ID = NULL, STATE_HASH = NULL, "
                + "OFFBOARDED_AT = ? WHERE ID = ?", now.toEpochMilli(), id);
    }

    /** Rows of a removed Organization or realm. */
    public static void delete(Jdbc db, String column, String value) throws SQLException {
        if (!column.equals("ORG_ID") && !column.equals("REALM_ID")) {
            throw new IllegalArgumentException(column);
        }
        db.update("DELETE FROM #ENTRAPBX_ONBOARDING WHERE " + column + " = ?", value);
    }

    private static Optional<Invitation> one(Jdbc db, String where, String... params) throws SQLException {
        return list(db, where, 0, 1, params).stream().findFirst();
    }

    private static List<Invitation> list(Jdbc db, String whereAndOrder, int first, int max, String... params) throws SQLException {
        List<Invitation> out = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT " + COLUMNS + " FROM #ENTRAPBX_ONBOARDING WHERE " + whereAndOrder)) {
            Jdbc.set(ps, (Object[]) params);
            ps.setMaxRows(first + max);
            try (ResultSet rs = ps.executeQuery()) {
                int row = 0;
                while (rs.next()) {
                    if (row++ >= first) {
                        out.add(read(rs));
                    }
                }
            }
        }
        return out;
    }

    private static Invitation read(ResultSet rs) throws SQLException {
        return new Invitation(rs.getString("ID"), rs.getString("REALM_ID"), rs.getString("ORG_ID"), rs.getString("NAME"),
                Arrays.stream(rs.getString("DOMAINS").split(",")).filter(d -> !d.isBlank()).toList(),
                Optional.ofNullable(rs.getString("EXTENSION_RANGE")), Invitation.Status.valueOf(rs.getString("STATUS")),
                Instant.ofEpochMilli(rs.getLong("CREATED_AT")), Optional.ofNullable(rs.getString("CREATED_BY")),
                Instant.ofEpochMilli(rs.getLong("EXPIRES_AT")), instant(rs, "CLAIMED_AT"), instant(rs, "LINKED_AT"),
                Optional.ofNullable(rs.getString("TENANT_ID")), Optional.ofNullable(rs.getString("PAST_TENANT_ID")),
                Optional.ofNullable(rs.getString("IDP_ALIAS")), Optional.ofNullable(rs.getString("COMPONENT_ID")),
                Optional.ofNullable(rs.getString("RUN_ID")), Optional.ofNullable(rs.getString("DETAIL")), instant(rs, "OFFBOARDED_AT"));
    }

    private static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(v));
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 4000 ? s : s.substring(0, 3997) + "...";
    }
}
