package dev.entrapbx.onboarding;

import dev.entrapbx.core.TenantSelector;
import dev.entrapbx.kc.Db;
import dev.entrapbx.kc.Organizations;
import dev.entrapbx.kc.SystemAdminEvents;
import dev.entrapbx.sync.EntraConnection;
import dev.entrapbx.sync.EntraSync;
import dev.entrapbx.sync.EntraUserStorageProviderFactory;
import dev.entrapbx.sync.SyncLauncher;
import dev.entrapbx.sync.admin.ConnectionCheck;
import dev.entrapbx.sync.admin.TestConnectionRepresentation;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.storage.UserStorageProvider;
import org.keycloak.storage.UserStorageProviderModel;

/**
 * Microsoft's answer to the admin-consent request, turned into a linked customer or a clear page.
 * In order:
 * <ol>
 * <li>the state must be a live consent round of a pending, unexpired invitation, started in this
 * browser (the cookie); a reload after success shows the result again;</li>
 * <li>Microsoft's error (cancelled, a personal account, ...) or a personal-account tenant: a page, an
 * admin event, the invitation stays usable;</li>
 * <li>the invitation is claimed with one conditional update, so concurrent returns link once;</li>
 * <li>the tenant must be free in the realm; Microsoft must confirm the consent (an app token for the
 * tenant) and the tenant must own the invited domains: otherwise the claim is released, nothing
 * saved;</li>
 * <li>in one transaction: the identity provider (validated as the console would), its link to the
 * Organization, the Organization enabled, the user sync (validated by its factory), the invitation
 * LINKED; a failure rolls all of it back;</li>
 * <li>then test connection (what is still missing goes on the result page) and the first full
 * sync, in the background.</li>
 * </ol>
 * Every outcome is an admin event of resource type {@value #EVENT_TYPE}.
 */
final class ConsentReturn {

    static final String EVENT_TYPE = "ENTRA_ONBOARDING";
    private static final Logger LOG = Logger.getLogger(ConsentReturn.class);

    /** What the browser gets. */
    sealed interface Outcome {
        record Linked(Invitation invitation) implements Outcome {
        }

        record Shown(Page page) implements Outcome {
        }
    }

    private final KeycloakSession session;
    private final RealmModel realm;
    private final Clock clock;
    private final CustomerLink.Sleeper sleeper;

    ConsentReturn(KeycloakSession session, RealmModel realm, Clock clock, CustomerLink.Sleeper sleeper) {
        this.session = session;
        this.realm = realm;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    Outcome handle(String state, String cookieState, String adminConsent, String tenant, String error, String errorDescription) {
        Instant now = clock.instant();
        if (state == null || state.isBlank() || state.length() > 100) {
            return shown(OnboardingResource.invalidLink(realm));
        }
        // every database access in a transaction of its own: the request's stays unused while Microsoft is asked below
        Optional<Invitation> found = inTransaction(s -> Db.run(s, "Onboarding invitation",
                db -> InvitationStore.byStateHash(db, realm.getId(), InvitationStore.hash(state))));
        if (found.isEmpty()) {
            return shown(OnboardingResource.invalidLink(realm));
        }
        Invitation inv = found.get();
        if (inv.status() == Invitation.Status.LINKED && state.equals(cookieState)) {
            return new Outcome.Linked(inv); // a reload of the return: the result again
        }
        if (inv.status() == Invitation.Status.LINKED) {
            event(inv, "reused", "the consent came back again after the invitation was used", tenant);
            return shown(Page.of("used", "This invitation was used already", inv.name() + " is connected to Microsoft 365 already.")
                    .note("Nothing needs to be done."));
        }
        if (inv.status() != Invitation.Status.PENDING && inv.status() != Invitation.Status.LINKING || !now.isBefore(inv.expiresAt())) {
            event(inv, "expired", "the consent came back for an invitation that expired or was withdrawn", tenant);
            return shown(OnboardingResource.invalidLink(realm));
        }
        if (!state.equals(cookieState)) {
            event(inv, "other_browser", "the consent came back in a browser that did not start it", tenant);
            return shown(Page.of("other-browser", "Please start again from the invitation link",
                    "The answer from Microsoft reached a browser that did not start this invitation. Open the invitation link again, in the "
                            + "browser you sign in to Microsoft with.").status(jakarta.ws.rs.core.Response.Status.BAD_REQUEST));
        }
        if (error != null && !error.isBlank()) {
            String description = firstLine(errorDescription);
            if (isPersonalAccountError(description)) {
                event(inv, "personal_account", description, null);
                return shown(personalAccount(inv));
            }
            event(inv, "consent_refused", error + ": " + description, null);
            return shown(Page.of("refused", "Microsoft 365 was not connected",
                            "Microsoft did not grant the permissions" + (description.isEmpty() ? "." : ": " + description))
                    .note("Nothing was set up. You can open the invitation link again to retry, as a global administrator of " + inv.name()
                            + ".").status(jakarta.ws.rs.core.Response.Status.BAD_REQUEST));
        }
        String tid = tenant == null ? "" : tenant.trim().toLowerCase(Locale.ROOT);
        if (CustomerLink.PERSONAL_ACCOUNTS_TENANT.equals(tid)) {
            event(inv, "personal_account", "consent from a personal Microsoft account", tid);
            return shown(personalAccount(inv));
        }
        if (!"true".equalsIgnoreCase(adminConsent == null ? "" : adminConsent.trim()) || !TenantSelector.isTenantId(tid)) {
            event(inv, "malformed", "the answer carries no admin consent and tenant id", tenant);
            return shown(OnboardingResource.invalidLink(realm));
        }
        // claimed in a transaction of its own, so other requests see it before the slow checks below
        boolean claimed = inTransaction(s -> Db.run(s, "Onboarding claim", db -> InvitationStore.claim(db, inv.id(), InvitationStore.hash(state), now)));
        Instant claimedAt = now;
        if (!claimed) {
            event(inv, "reused", "the consent came back while another answer was being linked", tid);
            return shown(Page.of("busy", "Connecting " + inv.name(), "This invitation is being connected in another window.")
                    .note("Open the result there, or open the invitation link again in a minute."));
        }
        try {
            return link(inv, tid, claimedAt);
        } catch (RuntimeException | Error e) {
            // whatever went wrong after the claim (a database error, a shutdown during a wait): nothing was kept, the link works again
            LOG.warnf(e, "Onboarding of '%s' (realm %s) to tenant %s stopped; nothing was kept", inv.name(), realm.getName(), tid);
            try {
                return release(inv, claimedAt, "setup_failed", rootMessage(e), tid, failed(inv));
            } catch (RuntimeException again) {
                e.addSuppressed(again);
                throw e; // the claim times out after InvitationStore.CLAIM_TIMEOUT
            }
        }
    }

    private static Page tenantTaken(Invitation inv) {
        return Page.of("tenant-taken", "This Microsoft 365 organisation is connected already",
                        "The organisation you consented with is connected to another customer account of this provider. "
                                + "A Microsoft 365 organisation can be connected once.")
                .note("Nothing was set up. If you signed in with the wrong account, open the invitation link again and sign in as "
                        + "an administrator of " + inv.name() + "'s own Microsoft 365; otherwise contact your provider.")
                .status(jakarta.ws.rs.core.Response.Status.CONFLICT);
    }

    /** The page for a failure on the partner's side: the detail goes to the admin event and the log, not to the customer. */
    private static Page failed(Invitation inv) {
        return Page.of("failed", "Microsoft 365 could not be connected", "Setting up " + inv.name() + " did not complete on your provider's side.")
                .note("Nothing was set up, and your provider can see what went wrong. Open the invitation link again to retry, or contact "
                        + "your provider.").status(jakarta.ws.rs.core.Response.Status.SERVICE_UNAVAILABLE);
    }

    private Outcome link(Invitation inv, String tid, Instant claimedAt) {
        KeycloakSessionFactory factory = session.getKeycloakSessionFactory();
        String realmId = realm.getId();
        PartnerApp app = inTransaction(s -> PartnerApp.of(s.realms().getRealm(realmId))).orElse(null);
        if (app == null) {
            return release(inv, claimedAt, "configuration", "the realm's partner app was removed", tid, OnboardingResource.invalidLink(realm));
        }
        Optional<String> takenBy = inTransaction(s -> CustomerLink.tenantTakenBy(s, s.getContext().getRealm(), tid, inv.organizationId()));
        if (takenBy.isEmpty()) {
            takenBy = inTransaction(s -> Db.run(s, "Onboarding", db -> InvitationStore.byTenant(db, realmId, tid))
                    .filter(other -> !other.id().equals(inv.id()))
                    .map(other -> Optional.ofNullable(Organizations.aliasOf(s, s.getContext().getRealm(), other.organizationId()))
                            .orElse(other.organizationId())));
        }
        if (takenBy.isPresent()) {
            String other = takenBy.get();
            return release(inv, claimedAt, "tenant_taken", "tenant " + tid + " is linked to Organization '" + other + "' already", tid,
                    tenantTaken(inv));
        }
        EntraUserStorageProviderFactory syncs = (EntraUserStorageProviderFactory) factory.getProviderFactory(UserStorageProvider.class,
                EntraUserStorageProviderFactory.PROVIDER_ID);
        String orgAlias = inTransaction(s -> Organizations.aliasOf(s, s.getContext().getRealm(), inv.organizationId()));
        if (orgAlias == null) {
            return release(inv, claimedAt, "organization_removed", "the invitation's Organization was deleted", tid, OnboardingResource.invalidLink(realm));
        }
        String idpAlias = inTransaction(s -> uniqueIdpAlias(s, orgAlias + "-entra"));
        IdentityProviderModel idp = CustomerLink.identityProvider(app, idpAlias, inv.name() + " (Microsoft 365)", tid, inv.organizationId());
        UserStorageProviderModel sync = CustomerLink.sync(realm, app, inv, orgAlias, idpAlias, tid);
        CustomerLink.TenantFacts facts;
        try {
            // the settings read in a short transaction; Microsoft and Graph asked outside of any (they may take seconds)
            EntraConnection connection = inTransaction(s -> CustomerLink.connection(s, s.getContext().getRealm(), syncs, idp, sync));
            facts = CustomerLink.confirm(connection, syncs, idp, sleeper);
        } catch (CustomerLink.NotConfirmed e) {
            // Microsoft's answer about the customer's own organisation is shown; the partner's own set-up problems are not
            boolean partnerSide = e.reason.equals("configuration") || e.reason.equals("token_refused") || e.reason.equals("permission_missing");
            return release(inv, claimedAt, e.reason, e.getMessage(), tid, partnerSide ? failed(inv)
                    : Page.of("not-confirmed", "Microsoft 365 could not be connected", "Microsoft did not confirm access to your organisation: "
                                    + e.getMessage())
                            .note("Nothing was set up. Open the invitation link again to retry; if it keeps failing, send this text to your provider.")
                            .status(jakarta.ws.rs.core.Response.Status.BAD_GATEWAY));
        }
        List<String> missingDomains = CustomerLink.unverified(inv.domains(), facts.verifiedDomains());
        if (!missingDomains.isEmpty()) {
            String name = facts.displayName() == null ? "The organisation you consented with" : "Your organisation " + facts.displayName();
            return release(inv, claimedAt, "domains_not_verified", "tenant " + tid + " does not own " + String.join(", ", missingDomains), tid,
                    Page.of("domains", "Wrong Microsoft 365 organisation?",
                                    name + " does not own " + String.join(", ", missingDomains) + ", which " + inv.name() + " was invited with.")
                            .note("Nothing was set up. Open the invitation link again and sign in as an administrator of the organisation "
                                    + "that owns these domains (Microsoft Entra admin center > Domain names).")
                            .status(jakarta.ws.rs.core.Response.Status.CONFLICT));
        }
        AtomicReference<String> componentId = new AtomicReference<>();
        try {
            KeycloakModelUtils.runJobInTransaction(factory, s -> {
                RealmModel r = s.realms().getRealm(realmId);
                s.getContext().setRealm(r);
                OrganizationModel org = Organizations.provider(s, r).getById(inv.organizationId());
                CustomerLink.validate(s, r, idp);
                idp.setOrganizationId(null); // the Organization links it, as the console does
                // enabled first: Keycloak stores a provider linked to a disabled Organization as disabled
                org.setEnabled(true);
                s.identityProviders().create(idp);
                if (!Organizations.provider(s, r).addIdentityProvider(org, s.identityProviders().getByAlias(idpAlias))) {
                    throw new IllegalStateException("the identity provider could not be linked to Organization '" + org.getAlias() + "'");
                }
                org.setDescription("Microsoft 365 tenant " + tid + (facts.displayName() == null ? "" : " (" + facts.displayName() + ")")
                        + ", connected by its admin's consent.");
                componentId.set(r.addComponentModel(sync).getId());
                Db.run(s, "Onboarding", db -> {
                    if (!InvitationStore.linked(db, inv.id(), claimedAt, tid, idpAlias, componentId.get(), clock.instant())) {
                        throw new IllegalStateException("the invitation's claim was taken over meanwhile");
                    }
                    return null;
                });
            });
        } catch (RuntimeException e) {
            LOG.warnf(e, "Onboarding of '%s' (realm %s) to tenant %s failed; nothing was kept", inv.name(), realm.getName(), tid);
            boolean taken = String.valueOf(e.getMessage()).toUpperCase(Locale.ROOT).contains("UK_ENTRAPBX_ONBOARDING_TENANT");
            return release(inv, claimedAt, taken ? "tenant_taken" : "setup_failed", rootMessage(e), tid, taken ? tenantTaken(inv) : failed(inv));
        }
        firstRun(inv, syncs, componentId.get(), tid, idpAlias, facts);
        return new Outcome.Linked(inv);
    }

    /** Test connection and the first full sync, after the customer is saved; neither undoes the link. */
    private void firstRun(Invitation inv, EntraUserStorageProviderFactory syncs, String componentId, String tid, String idpAlias,
                          CustomerLink.TenantFacts facts) {
        String realmId = realm.getId();
        TestConnectionRepresentation test = inTransaction(s -> ConnectionCheck.run(s, s.getContext().getRealm(),
                s.getContext().getRealm().getComponent(componentId), syncs));
        List<String> missing = test.missingPermissions() == null ? List.of() : test.missingPermissions();
        String runId = null;
        String startProblem = null;
        try {
            UserStorageProviderModel model = inTransaction(s -> new UserStorageProviderModel(s.getContext().getRealm().getComponent(componentId)));
            SyncLauncher.Start start = syncs.startInBackground(session.getKeycloakSessionFactory(), realmId, model, EntraSync.Trigger.FULL);
            if (start instanceof SyncLauncher.Start.Started started) {
                runId = started.runId();
            } else {
                startProblem = "the first sync could not start now (" + start + "); the scheduled one will run it";
            }
        } catch (RuntimeException e) {
            startProblem = "the first sync could not start: " + rootMessage(e);
        }
        String detail = String.join("\n", missing.stream().map(m -> "Grant " + m).toList());
        String finalRunId = runId;
        inTransaction(s -> Db.run(s, "Onboarding", db -> {
            InvitationStore.firstRun(db, inv.id(), finalRunId, detail.isBlank() ? null : detail);
            return null;
        }));
        Map<String, String> details = new LinkedHashMap<>();
        details.put("outcome", "linked");
        details.put("invitation", inv.id());
        details.put("organization", inv.organizationId());
        details.put("tenant", tid);
        if (facts.displayName() != null) {
            details.put("tenantName", facts.displayName());
        }
        details.put("identityProvider", idpAlias);
        details.put("userSync", componentId);
        details.put("testConnection", test.ok() ? "ok" : String.join(" ", test.messages()));
        if (runId != null) {
            details.put("firstRun", runId);
        }
        if (startProblem != null) {
            details.put("problem", startProblem);
        }
        dev.entrapbx.kc.Meters.onboardingReturn(realm.getName(), "linked");
        inTransaction(s -> {
            SystemAdminEvents.fire(s, s.getContext().getRealm(), EVENT_TYPE, "entra-onboarding/invitations/" + inv.id(), details);
            return null;
        });
        LOG.infof("Onboarding: '%s' (realm %s) linked to tenant %s; identity provider %s, sync %s, first run %s", inv.name(),
                realm.getName(), tid, idpAlias, componentId, runId);
    }

    private Outcome release(Invitation inv, Instant claimedAt, String reason, String detail, String tid, Page page) {
        inTransaction(s -> Db.run(s, "Onboarding", db -> {
            InvitationStore.release(db, inv.id(), claimedAt, reason + ": " + detail);
            return null;
        }));
        event(inv, reason, detail, tid);
        return shown(page);
    }

    private void event(Invitation inv, String reason, String detail, String tenant) {
        dev.entrapbx.kc.Meters.onboardingReturn(realm.getName(), reason);
        inTransaction(s -> {
            SystemAdminEvents.fire(s, s.getContext().getRealm(), EVENT_TYPE, "entra-onboarding/invitations/" + inv.id(),
                    details(inv, reason, detail, tenant));
            return null;
        });
    }

    private static Map<String, String> details(Invitation inv, String reason, String detail, String tenant) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("outcome", "refused");
        d.put("reason", reason);
        d.put("invitation", inv.id());
        d.put("organization", inv.organizationId());
        if (tenant != null && !tenant.isBlank()) {
            d.put("tenant", tenant);
        }
        d.put("detail", detail == null ? "" : detail);
        return d;
    }

    private Page personalAccount(Invitation inv) {
        return Page.of("personal-account", "A work account is needed",
                        "You signed in with a personal Microsoft account. Only an administrator of " + inv.name()
                                + "'s Microsoft 365 (a work or school account) can connect it.")
                .note("Nothing was set up. Open the invitation link again and sign in with your work account, e.g. admin@"
                        + inv.domains().get(0) + ".").status(jakarta.ws.rs.core.Response.Status.BAD_REQUEST);
    }

    static boolean isPersonalAccountError(String description) {
        return description.startsWith("AADSTS500200") || description.startsWith("AADSTS50020:")
                && description.toLowerCase(Locale.ROOT).contains("live.com");
    }

    private <T> T inTransaction(java.util.function.Function<KeycloakSession, T> work) {
        String realmId = realm.getId();
        return KeycloakModelUtils.runJobInTransactionWithResult(session.getKeycloakSessionFactory(), s -> {
            s.getContext().setRealm(s.realms().getRealm(realmId));
            return work.apply(s);
        });
    }

    private String uniqueIdpAlias(KeycloakSession s, String base) {
        String alias = base;
        for (int i = 2; s.identityProviders().getByAlias(alias) != null; i++) {
            alias = base + "-" + i;
        }
        return alias;
    }

    private static Outcome shown(Page page) {
        return new Outcome.Shown(page);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        String t = s.strip();
        int nl = t.indexOf('\n');
        int cr = t.indexOf('\r');
        int cut = nl < 0 ? cr : cr < 0 ? nl : Math.min(nl, cr);
        return (cut < 0 ? t : t.substring(0, cut)).strip();
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
