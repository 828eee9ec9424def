package dev.entrapbx.simulator.graph;

import dev.entrapbx.simulator.contacts.ContactsStore;
import dev.entrapbx.simulator.directory.Directory;
import dev.entrapbx.simulator.directory.DirectoryException;
import dev.entrapbx.simulator.http.AreaResponses;
import dev.entrapbx.simulator.http.Handler;
import dev.entrapbx.simulator.http.Request;
import dev.entrapbx.simulator.http.Response;
import dev.entrapbx.simulator.http.Router;
import dev.entrapbx.simulator.identity.AccessTokenClaims;
import dev.entrapbx.simulator.identity.AccessTokenValidator;
import dev.entrapbx.simulator.model.MemberRef;
import dev.entrapbx.simulator.notifications.NotificationService;
import dev.entrapbx.simulator.presence.CalendarStore;
import dev.entrapbx.simulator.presence.PresenceStore;

import java.time.Clock;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Microsoft Graph v1.0: validates bearer tokens (401 InvalidAuthenticationToken), checks permissions
 * (403 Authorization_RequestDenied), routes, and answers errors in Graph's format.
 */
public final class GraphApi implements AreaResponses {
    private static final Logger LOG = Logger.getLogger(GraphApi.class.getName());
    private static final String V1 = "/v1.0";
    private static final String DELTA = "{fn:delta|delta\\(\\)|microsoft\\.graph\\.delta\\(\\)}";

    private final AccessTokenValidator validator;
    private final UsersResource users;
    private final GroupsResource groups;
    private final DeltaResource delta;
    private final TenantResources tenant;
    private final PhotoResource photos;
    private final UserInfoEndpoint userinfo;
    private final MailboxContactsResource mailboxContacts;
    private final OrgContactsResource orgContacts;
    private final PresenceResource presence;
    private final ScheduleResource schedule;
    private final SubscriptionsResource subscriptions;
    /** Outlook (mailbox) paths: their errors come from Exchange, not from the directory. */
    private static final Pattern OUTLOOK_PATH = Pattern.compile("^/v1\\.0/users/[^/]+/(contacts|contactFolders)(/|$)");

    public GraphApi(String baseUrl, Directory directory, ContactsStore contacts, AccessTokenValidator validator,
                    PresenceStore presenceStore, CalendarStore calendars, NotificationService notifications, Clock clock) {
        this.validator = validator;
        PageTokens tokens = new PageTokens();
        this.users = new UsersResource(baseUrl, directory, tokens);
        this.groups = new GroupsResource(baseUrl, directory, tokens);
        this.delta = new DeltaResource(baseUrl, directory, tokens);
        this.tenant = new TenantResources(baseUrl, directory);
        this.photos = new PhotoResource(baseUrl, directory);
        this.userinfo = new UserInfoEndpoint(baseUrl, directory);
        this.mailboxContacts = new MailboxContactsResource(baseUrl, directory, contacts, tokens);
        this.orgContacts = new OrgContactsResource(baseUrl, contacts, tokens);
        this.presence = new PresenceResource(baseUrl, directory, presenceStore);
        this.schedule = new ScheduleResource(baseUrl, directory, calendars);
        this.subscriptions = new SubscriptionsResource(baseUrl, directory, notifications, clock);
    }

    public void register(Router router) {
        router.get(V1 + "/organization", secured(Permissions.ORGANIZATION, tenant::organizations))
              .get(V1 + "/organization/{id}", secured(Permissions.ORGANIZATION, tenant::organization))
              .get(V1 + "/domains", secured(Permissions.DOMAINS, tenant::domains))
              .get(V1 + "/domains/{id}", secured(Permissions.DOMAINS, tenant::domainById))
              .get(V1 + "/applications", secured(Permissions.APPLICATIONS, tenant::applications))
              .get(V1 + "/applications(appId='{id:[^']+}')", secured(Permissions.APPLICATIONS, tenant::application))
              .get(V1 + "/applications/{id}", secured(Permissions.APPLICATIONS, tenant::application))
              .get(V1 + "/users/" + DELTA, secured(Permissions.USERS, g -> delta.delta(g, DeltaResource.Target.USERS)))
              .get(V1 + "/users", secured(Permissions.USERS, users::list))
              .get(V1 + "/users/{id}", secured(Permissions.USERS, users::get))
              .get(V1 + "/users/{id}/memberOf", secured(Permissions.USER_MEMBER_OF, g -> groups.memberOf(g, false)))
              .get(V1 + "/users/{id}/transitiveMemberOf", secured(Permissions.USER_MEMBER_OF, g -> groups.memberOf(g, true)))
              .get(V1 + "/users/{id}/photo", secured(Permissions.PHOTOS, photos::metadata))
              .get(V1 + "/users/{id}/photo/$value", secured(Permissions.PHOTOS, photos::value))
              .get(V1 + "/me", secured(Permissions.ME, users::me))
              .get(V1 + "/me/photo", secured(Permissions.PHOTOS, photos::metadata))
              .get(V1 + "/me/photo/$value", secured(Permissions.PHOTOS, photos::value))
              .get(V1 + "/groups/" + DELTA, secured(Permissions.GROUPS, g -> delta.delta(g, DeltaResource.Target.GROUPS)))
              .get(V1 + "/groups", secured(Permissions.GROUPS, groups::list))
              .get(V1 + "/groups/{id}", secured(Permissions.GROUPS, groups::get));
        for (boolean transitive : new boolean[] {false, true}) {
            String segment = transitive ? "/transitiveMembers" : "/members";
            router.get(V1 + "/groups/{id}" + segment, secured(Permissions.MEMBERSHIP, g -> groups.members(g, transitive, null)));
            // the type cast in full (microsoft.graph.user) or with Graph's namespace alias (graph.user), which the
            // Graph SDKs send
            for (String ns : new String[] {"microsoft.graph.", "graph."}) {
                router.get(V1 + "/groups/{id}" + segment + "/" + ns + "user",
                                secured(Permissions.MEMBERSHIP, g -> groups.members(g, transitive, MemberRef.Kind.USER)))
                      .get(V1 + "/groups/{id}" + segment + "/" + ns + "group",
                                secured(Permissions.MEMBERSHIP, g -> groups.members(g, transitive, MemberRef.Kind.GROUP)));
            }
        }
        // a user's groups with the type cast to groups (the simulator's memberships are all groups; Graph's may also
        // hold directory roles and administrative units, which the cast leaves out)
        for (String ns : new String[] {"microsoft.graph.", "graph."}) {
            router.get(V1 + "/users/{id}/memberOf/" + ns + "group", secured(Permissions.USER_MEMBER_OF, g -> groups.memberOf(g, false)))
                  .get(V1 + "/users/{id}/transitiveMemberOf/" + ns + "group",
                          secured(Permissions.USER_MEMBER_OF, g -> groups.memberOf(g, true)));
        }
        registerContacts(router);
        registerPresence(router);
        Handler info = secured(List.of(), userinfo::userinfo);
        router.get("/oidc/userinfo", info).post("/oidc/userinfo", info);
    }

    /**
     * Outlook contacts of a mailbox (Contacts.Read, 403 ErrorAccessDenied without it) and organizational contacts
     * (OrgContact.Read.All or Directory.Read.All).
     */
    private void registerContacts(Router router) {
        String u = V1 + "/users/{uid}";
        String f = u + "/contactFolders/{fid}";
        String c = f + "/childFolders/{cfid}";
        router.get(u + "/contactFolders/" + DELTA, outlook(mailboxContacts::foldersDelta))
              .get(u + "/contactFolders", outlook(mailboxContacts::folders))
              .get(f, outlook(mailboxContacts::folder))
              .get(f + "/childFolders", outlook(mailboxContacts::childFolders))
              .get(c, outlook(mailboxContacts::folder))
              .get(u + "/contacts/" + DELTA, outlook(mailboxContacts::contactsDelta))
              .get(u + "/contacts", outlook(mailboxContacts::contacts))
              .get(u + "/contacts/{cid}", outlook(mailboxContacts::contact));
        for (String folder : new String[] {f, c}) {
            router.get(folder + "/contacts/" + DELTA, outlook(mailboxContacts::contactsDelta))
                  .get(folder + "/contacts", outlook(mailboxContacts::contacts))
                  .get(folder + "/contacts/{cid}", outlook(mailboxContacts::contact));
        }
        router.get(V1 + "/contacts/" + DELTA, secured(Permissions.ORG_CONTACTS, orgContacts::delta))
              .get(V1 + "/contacts", secured(Permissions.ORG_CONTACTS, orgContacts::list))
              .get(V1 + "/contacts/{id}", secured(Permissions.ORG_CONTACTS, orgContacts::get));
    }

    /** Teams presence, free/busy and change-notification subscriptions. */
    private void registerPresence(Router router) {
        router.get(V1 + "/users/{id}/presence", secured(Permissions.PRESENCE_READ, presence::userPresence))
              .get(V1 + "/communications/presences/{id}", secured(Permissions.PRESENCE_READ, presence::communicationsPresence))
              .post(V1 + "/communications/getPresencesByUserId",
                      secured(Permissions.PRESENCE_READ_ALL, presence::presencesByUserId))
              .post(V1 + "/users/{id}/presence/setPresence", secured(Permissions.PRESENCE_WRITE, presence::setPresence))
              .post(V1 + "/users/{id}/presence/clearPresence", secured(Permissions.PRESENCE_WRITE, presence::clearPresence))
              .post(V1 + "/communications/presences/{id}/setPresence",
                      secured(Permissions.PRESENCE_WRITE, presence::setPresence))
              .post(V1 + "/communications/presences/{id}/clearPresence",
                      secured(Permissions.PRESENCE_WRITE, presence::clearPresence))
              .post(V1 + "/users/{uid}/calendar/getSchedule", secured(Permissions.SCHEDULE, schedule::getSchedule,
                      OutlookErrors::accessDenied))
              .get(V1 + "/subscriptions", secured(List.of(), subscriptions::list))
              .post(V1 + "/subscriptions", secured(List.of(), subscriptions::create))
              .get(V1 + "/subscriptions/{id}", secured(List.of(), subscriptions::get))
              .patch(V1 + "/subscriptions/{id}", secured(List.of(), subscriptions::update))
              .delete(V1 + "/subscriptions/{id}", secured(List.of(), subscriptions::delete))
              .post(V1 + "/subscriptions/{id}/reauthorize", secured(List.of(), subscriptions::reauthorize));
    }

    private Handler outlook(Function<GraphRequest, Response> handler) {
        return secured(Permissions.CONTACTS, handler, OutlookErrors::accessDenied);
    }

    /** Authenticates, authorises and answers errors; {@code anyOf} empty means any valid token. */
    private Handler secured(List<String> anyOf, Function<GraphRequest, Response> handler) {
        return secured(anyOf, handler, GraphException::forbidden);
    }

    private Handler secured(List<String> anyOf, Function<GraphRequest, Response> handler,
                            Supplier<GraphException> forbidden) {
        return req -> {
            try {
                AccessTokenClaims principal;
                try {
                    principal = validator.validate(req.bearerToken().orElse(null));
                } catch (AccessTokenValidator.InvalidTokenException e) {
                    return GraphResponses.error(req, 401, "InvalidAuthenticationToken", e.getMessage())
                            .header("WWW-Authenticate", "Bearer realm=\"\", error=\"invalid_token\", "
                                    + "client_id=\"00000003-0000-0000-c000-000000000000\"");
                }
                if (!anyOf.isEmpty() && !principal.hasAny(anyOf)) {
                    throw forbidden.get();
                }
                return GraphResponses.withIds(req, handler.apply(new GraphRequest(req, principal)));
            } catch (GraphException e) {
                return GraphResponses.error(req, e);
            } catch (DirectoryException e) {
                return GraphResponses.error(req, e.reason() == DirectoryException.Reason.NOT_FOUND ? 404 : 400,
                        e.reason() == DirectoryException.Reason.NOT_FOUND ? "Request_ResourceNotFound" : "Request_BadRequest",
                        e.getMessage());
            }
        };
    }

    @Override
    public Response notFound(Request request) {
        return GraphResponses.error(request, 400, "BadRequest", "Resource not found for the segment '"
                + lastSegment(request.path()) + "'.");
    }

    @Override
    public Response methodNotAllowed(Request request) {
        return GraphResponses.error(request, 405, "Request_BadRequest", "Specified HTTP method is not allowed for "
                + "the request target (the simulator's Graph writes only presence sessions and subscriptions; use the control "
                + "API to change other data).");
    }

    @Override
    public Response internalError(Request request, Exception error) {
        LOG.log(Level.WARNING, "Graph request failed: " + request.path(), error);
        return GraphResponses.error(request, 500, "InternalServerError", "The simulator failed: " + error);
    }

    @Override
    public Response injectedStatus(Request request, int status, Integer retryAfterSeconds) {
        // Throttled answers as in https://learn.microsoft.com/graph/throttling; a mailbox (Outlook) path throttled
        // answers as Exchange does: 429 ApplicationThrottled "Application is over its MailboxConcurrency limit."
        if (status == 429 && OUTLOOK_PATH.matcher(request.path()).find()) {
            Response r = GraphResponses.error(request, 429, "ApplicationThrottled",
                    "Application is over its MailboxConcurrency limit.");
            if (retryAfterSeconds != null) {
                r.header("Retry-After", String.valueOf(retryAfterSeconds));
            }
            return r;
        }
        String code = switch (status) {
            case 429 -> "TooManyRequests";
            case 503 -> "serviceNotAvailable";
            case 504 -> "UnknownError";
            default -> "generalException";
        };
        String message = switch (status) {
            case 429 -> "Too many requests. Please retry after the time given in the Retry-After header.";
            case 503 -> "The service is temporarily unavailable. Please retry later.";
            case 504 -> "The gateway did not receive a timely response from the upstream service.";
            default -> "The service failed to process the request.";
        };
        Response r = GraphResponses.error(request, status, code, message);
        if (retryAfterSeconds != null) {
            r.header("Retry-After", String.valueOf(retryAfterSeconds));
        }
        return r;
    }

    private static String lastSegment(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
