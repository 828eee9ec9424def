package dev.entrapbx.onboarding;

import dev.entrapbx.core.EntraEndpoints;
import dev.entrapbx.core.TenantSelector;
import dev.entrapbx.kc.Db;
import dev.entrapbx.sync.LocalUsers;
import dev.entrapbx.sync.jpa.SyncRunEntity;
import jakarta.persistence.EntityManager;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.Urls;
import org.keycloak.urls.UrlType;

/**
 * What the customer's Microsoft 365 admin reaches, under {@code /realms/<realm>/entra-onboarding}:
 * <ul>
 * <li>{@code GET invitation/<token>}: who invites them and what will be granted, with "Continue to
 * Microsoft";</li>
 * <li>{@code POST (or GET) invitation/<token>/continue}: starts a consent round (a new state, bound
 * to this browser by a cookie) and sends the browser to Microsoft's v2.0 admin-consent endpoint;</li>
 * <li>{@code GET consented}: Microsoft's answer (the partner app's registered redirect URI), which
 * {@link ConsentReturn} turns into a linked customer or a clear page;</li>
 * <li>{@code GET welcome}: the result, with the first sync's progress (this browser's cookie).</li>
 * </ul>
 * An unknown, expired or withdrawn link answers the same page with the same status.
 */
public class OnboardingResource {

    static final String COOKIE = "ENTRAPBX_ONBOARDING";
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private final KeycloakSession session;
    private final RealmModel realm;
    private final Clock clock;

    OnboardingResource(KeycloakSession session, Clock clock) {
        this.session = session;
        this.realm = session.getContext().getRealm();
        this.clock = clock;
    }

    @GET
    @Path("invitation/{token}")
    public Response invitation(@PathParam("token") String token) {
        Optional<PartnerApp> app = PartnerApp.of(realm);
        Optional<Invitation> found = byToken(token);
        Optional<Page> refused = refusal(app, found);
        if (refused.isPresent()) {
            return refused.get().render(session);
        }
        Invitation inv = found.get();
        PartnerApp partner = app.get();
        List<String> granted = new ArrayList<>();
        granted.add("Sign in your people to " + partner.displayName() + " with their Microsoft 365 account (openid, profile, email)");
        CustomerLink.neededPermissions(realm, partner).forEach(n -> granted.add(n.permission() + ": without it, " + n.without()));
        return Page.of("invitation", partner.displayName() + " invites " + inv.name(),
                        "Connect " + inv.name() + "'s Microsoft 365 to " + partner.displayName() + ": your people then sign in to their phones "
                                + "with their Microsoft account, and get their extensions, without anyone typing a user list.")
                .fact("Email domains", String.join(", ", inv.domains()))
                .fact("Link valid until", DAY.format(inv.expiresAt()))
                .items("A Microsoft 365 global administrator (or privileged role administrator) of " + inv.name()
                        + " grants, for the whole organisation:", granted)
                .action(uri("invitation", token, "continue").toString(), "Continue to Microsoft")
                .note("Microsoft shows the permissions again before you accept. You can remove the app later in the Microsoft Entra admin "
                        + "center under Enterprise applications.")
                .render(session);
    }

    @POST
    @Path("invitation/{token}/continue")
    public Response continuePost(@PathParam("token") String token) {
        return continueToMicrosoft(token);
    }

    private Response continueToMicrosoft(String token) {
        Optional<PartnerApp> app = PartnerApp.of(realm);
        Optional<Invitation> found = byToken(token);
        Optional<Page> refused = refusal(app, found);
        if (refused.isPresent()) {
            return refused.get().render(session);
        }
        Instant now = clock.instant();
        String state = InvitationStore.newSecret();
        boolean started = Db.run(session, "Onboarding consent round",
                db -> InvitationStore.startRound(db, found.get().id(), InvitationStore.hash(state), now));
        if (!started) {
            return invalidLink().render(session);
        }
        PartnerApp partner = app.get();
        EntraEndpoints endpoints = partner.app().endpoints(PartnerAppPageFactory.overrideGate(session));
        URI consent = UriBuilder.fromUri(endpoints.authorityFor(TenantSelector.ORGANIZATIONS) + "v2.0/adminconsent")
                .queryParam("client_id", partner.clientId())
                .queryParam("scope", endpoints.graphDefaultScope())
                .queryParam("redirect_uri", consentedUri(session, realm))
                .queryParam("state", state)
                .build();
        return Response.status(Response.Status.SEE_OTHER).location(consent).header("Set-Cookie", cookie(state, 3600))
                .header("Cache-Control", "no-store").build();
    }

    /** Microsoft's answer to the admin-consent request. */
    @GET
    @Path("consented")
    public Response consented() {
        MultivaluedMap<String, String> q = session.getContext().getUri().getQueryParameters();
        String state = q.getFirst("state");
        String cookieState = cookie();
        ConsentReturn.Outcome outcome = new ConsentReturn(session, realm, clock, CustomerLink.Sleeper.REAL).handle(state, cookieState,
                q.getFirst("admin_consent"), q.getFirst("tenant"), q.getFirst("error"), q.getFirst("error_description"));
        if (outcome instanceof ConsentReturn.Outcome.Linked) {
            // the result page follows the first sync for a day in this browser
            return Response.status(Response.Status.SEE_OTHER).location(uri("welcome")).header("Set-Cookie", cookie(state, 86_400))
                    .header("Cache-Control", "no-store").build();
        }
        return ((ConsentReturn.Outcome.Shown) outcome).page().render(session);
    }

    /** The result: the customer is connected, with the first sync's progress. */
    @GET
    @Path("welcome")
    public Response welcome() {
        String state = cookie();
        Optional<Invitation> found = state == null ? Optional.empty()
                : Db.run(session, "Onboarding invitation", db -> InvitationStore.byStateHash(db, realm.getId(), InvitationStore.hash(state)));
        if (found.isEmpty() || found.get().status() != Invitation.Status.LINKED) {
            return invalidLink().render(session);
        }
        return result(found.get()).render(session);
    }

    private Page result(Invitation inv) {
        PartnerApp partner = PartnerApp.of(realm).orElse(null);
        EntityManager em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        long people = inv.componentId().map(c -> (long) LocalUsers.countOfComponent(em, realm.getId(), c)).orElse(0L);
        long extensions = Db.run(session, "Onboarding result", db -> {
            try (var ps = db.prepareStatement("SELECT COUNT(*) FROM #ENTRAPBX_EXTENSION WHERE REALM_ID = ? AND ORG_ID = ? AND STATUS = 'ACTIVE'")) {
                dev.entrapbx.kc.Jdbc.set(ps, realm.getId(), inv.organizationId());
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
        SyncRunEntity run = inv.runId().map(id -> em.find(SyncRunEntity.class, id)).orElse(null);
        boolean running = run == null && inv.runId().isPresent() || run != null && "RUNNING".equals(run.getStatus());
        String signIn = partner == null ? null : partner.signInUrl().orElse(null);
        if (signIn == null) {
            signIn = Urls.accountBase(session.getContext().getUri(UrlType.FRONTEND).getBaseUri()).build(realm.getName()).toString();
        }
        String firstSync = run == null ? (inv.runId().isPresent() ? "starting" : "not started")
                : switch (run.getStatus()) {
                    case "RUNNING" -> "running (" + run.getAdded() + " people so far)";
                    case "SUCCESS" -> "finished";
                    default -> run.getStatus().toLowerCase(Locale.ROOT) + (run.getMessage() == null ? "" : ": " + run.getMessage());
                };
        Page p = Page.of("result", inv.name() + " is connected",
                        (running ? "Your people are being set up. This page refreshes by itself." : "Your people can sign in now.")
                                + " They sign in with their Microsoft 365 account (" + String.join(", ", inv.domains()) + ").")
                .fact("People synced", String.valueOf(people))
                .fact("Extensions given", String.valueOf(extensions))
                .fact("First sync", firstSync)
                .link(signIn, "Sign-in link for your people: " + signIn);
        inv.detail().filter(d -> !d.isBlank()).ifPresent(d -> p.items("Still to do in Microsoft 365:", List.of(d.split("\n"))));
        if (running) {
            p.refresh(3);
        }
        return p.note("New and changed people follow automatically. To disconnect, ask " + (partner == null ? "your provider" : partner.displayName())
                + "; then delete the app under Enterprise applications in the Microsoft Entra admin center.");
    }

    // ---- pages shared with ConsentReturn ----

    /** Unknown, expired, withdrawn or offboarded: one page, one status, whichever it is. */
    Page invalidLink() {
        return invalidLink(realm);
    }

    static Page invalidLink(RealmModel realm) {
        return Page.of("invalid", "This invitation link cannot be used",
                        "The link is not valid: it may have expired, been withdrawn, or been copied incompletely.")
                .note("Ask your phone system provider for a new invitation.").status(Response.Status.NOT_FOUND);
    }

    private Page alreadyUsed(Invitation inv) {
        return Page.of("used", "This invitation was used already",
                        inv.name() + " was connected to Microsoft 365" + inv.linkedAt().map(t -> " on " + DAY.format(t)).orElse("")
                                + ". An invitation works once.")
                .note("Nothing needs to be done. To connect another organisation, ask your provider for a new invitation.");
    }

    /**
     * The page instead of the invitation when its link cannot be used now: "used already" for a linked
     * one, the one invalid-link page for everything else; empty for a pending, unexpired invitation.
     */
    private Optional<Page> refusal(Optional<PartnerApp> app, Optional<Invitation> found) {
        if (app.isPresent() && found.isPresent() && found.get().isUsable(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(found.filter(i -> i.status() == Invitation.Status.LINKED).map(this::alreadyUsed).orElseGet(this::invalidLink));
    }

    private Optional<Invitation> byToken(String token) {
        if (token == null || token.length() > 100) {
            return Optional.empty();
        }
        return Db.run(session, "Onboarding invitation", db -> InvitationStore.byTokenHash(db, realm.getId(), InvitationStore.hash(token)));
    }

    private URI uri(String... segments) {
        UriBuilder b = UriBuilder.fromUri(resourceBase(session, realm));
        for (String s : segments) {
            b.path(s);
        }
        return b.build();
    }

    /** {@code <frontend>/realms/<realm>/entra-onboarding}. */
    static URI resourceBase(KeycloakSession session, RealmModel realm) {
        return Urls.realmBase(session.getContext().getUri(UrlType.FRONTEND).getBaseUri()).path("{realm}").path(OnboardingResourceFactory.ID)
                .build(realm.getName());
    }

    /** The redirect URI registered on the partner app for admin consent. */
    static String consentedUri(KeycloakSession session, RealmModel realm) {
        return UriBuilder.fromUri(resourceBase(session, realm)).path("consented").build().toString();
    }

    /** The invitation link for a token. */
    static String invitationLink(KeycloakSession session, RealmModel realm, String token) {
        return UriBuilder.fromUri(resourceBase(session, realm)).path("invitation").path(token).build().toString();
    }

    private String cookie() {
        var c = session.getContext().getRequestHeaders().getCookies().get(COOKIE);
        return c == null || c.getValue() == null || c.getValue().isBlank() ? null : c.getValue();
    }

    private String cookie(String value, int maxAgeSeconds) {
        URI base = resourceBase(session, realm);
        boolean secure = "https".equalsIgnoreCase(base.getScheme());
        return COOKIE + "=" + value + "; Path=" + base.getRawPath() + "; Max-Age=" + maxAgeSeconds + "; HttpOnly; SameSite=Lax"
                + (secure ? "; Secure" : "");
    }
}
