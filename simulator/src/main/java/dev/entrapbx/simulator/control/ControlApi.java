package dev.entrapbx.simulator.control;

import static dev.entrapbx.simulator.control.ControlBodies.body;
import static dev.entrapbx.simulator.control.ControlBodies.require;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.entrapbx.simulator.EntraSimulator;
import dev.entrapbx.simulator.directory.Directory;
import dev.entrapbx.simulator.directory.DirectoryException;
import dev.entrapbx.simulator.directory.GenerationResult;
import dev.entrapbx.simulator.fault.FaultKind;
import dev.entrapbx.simulator.fault.FaultRule;
import dev.entrapbx.simulator.http.AreaResponses;
import dev.entrapbx.simulator.http.RecordedRequest;
import dev.entrapbx.simulator.http.Request;
import dev.entrapbx.simulator.http.Response;
import dev.entrapbx.simulator.http.Router;
import dev.entrapbx.simulator.identity.IdTokenDefect;
import dev.entrapbx.simulator.json.Json;
import dev.entrapbx.simulator.model.AppRegistration;
import dev.entrapbx.simulator.model.ClientSecret;
import dev.entrapbx.simulator.model.Domain;
import dev.entrapbx.simulator.model.Group;
import dev.entrapbx.simulator.model.MemberRef;
import dev.entrapbx.simulator.model.SignInAudience;
import dev.entrapbx.simulator.model.User;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The control API under {@code /_sim/}: JSON operations on the simulator's state for other processes and demos.
 * It mirrors the Java API; see simulator/README.md for the list of paths.
 */
public final class ControlApi implements AreaResponses {
    private static final String T = "/_sim/tenants/{tid}";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final EntraSimulator sim;
    private final Directory directory;

    public ControlApi(EntraSimulator sim) {
        this.sim = sim;
        this.directory = sim.directory();
    }

    public void register(Router r) {
        r.get("/_sim/health", this::health)
         .post("/_sim/seed", req -> json(200, seedSummary(sim.loadSeed(body(req)))))
         .post("/_sim/reset", req -> {
             sim.reset();
             return json(200, Json.object().put("status", "reset"));
         })
         .post("/_sim/keys:rotate", req -> {
             boolean keep = req.body().length == 0 || body(req).path("keepPrevious").asBoolean(true);
             sim.rotateSigningKey(keep);
             return json(200, Json.object().put("kid", sim.signingKeys().current().kid()).put("keptPrevious", keep));
         })
         // tenants
         .get("/_sim/tenants", req -> json(200, array(directory.tenants().stream().map(ModelJson::tenant).toList())))
         .post("/_sim/tenants", req -> json(201, ModelJson.tenant(new SeedLoader(directory).tenant(body(req)))))
         .get(T, req -> json(200, ModelJson.tenant(directory.requireTenant(req.pathVariable("tid")))))
         .delete(T, req -> {
             directory.deleteTenant(req.pathVariable("tid"));
             return Response.empty(204);
         })
         .post(T + "/domains", req -> {
             JsonNode b = body(req);
             return json(200, ModelJson.tenant(directory.addDomain(req.pathVariable("tid"), new Domain(
                     Json.textOrNull(b, "name"), b.path("isDefault").asBoolean(false), false,
                     b.path("isVerified").asBoolean(true)))));
         })
         .post(T + "/delta:expire", req -> {
             directory.expireDeltaTokens(req.pathVariable("tid"));
             sim.contacts().expireOrgContactDelta(req.pathVariable("tid"));
             return json(200, Json.object().put("status", "delta tokens expired"));
         })
         .post(T + "/delta:resync", req -> {
             directory.requireDeltaResync(req.pathVariable("tid"));
             return json(200, Json.object().put("status", "delta links now answer 410 Gone"));
         });
        registerApps(r);
        registerUsers(r);
        registerGroups(r);
        registerTesting(r);
        new ContactsControl(sim.contacts(), directory).register(r);
        new PresenceControl(sim).register(r);
    }

    private void registerApps(Router r) {
        r.get(T + "/apps", req -> json(200, array(directory.apps(req.pathVariable("tid")).stream().map(ModelJson::app).toList())))
         .post(T + "/apps", req -> json(201, ModelJson.app(directory.createApp(req.pathVariable("tid"),
                 SeedLoader.app(body(req))))))
         .post(T + "/consents", req -> {
             String appId = Json.textOrNull(body(req), "appId");
             if (appId == null) {
                 throw dev.entrapbx.simulator.directory.DirectoryException.invalid("appId is required");
             }
             var granted = directory.grantAdminConsent(req.pathVariable("tid"), appId);
             var o = Json.object();
             o.put("appId", appId);
             var permissions = o.putArray("permissions");
             granted.stream().sorted().forEach(permissions::add);
             return json(201, o);
         })
         .delete(T + "/consents/{appId}", req -> {
             directory.revokeConsent(req.pathVariable("tid"), req.pathVariable("appId"));
             return Response.empty(204);
         })
         .get("/_sim/apps/{appId}", req -> json(200, ModelJson.app(directory.requireApp(req.pathVariable("appId")))))
         .patch("/_sim/apps/{appId}", req -> json(200, ModelJson.app(patchApp(req.pathVariable("appId"), body(req)))))
         .delete("/_sim/apps/{appId}", req -> {
             directory.deleteApp(req.pathVariable("appId"));
             return Response.empty(204);
         })
         .post("/_sim/apps/{appId}/secrets", req -> {
             JsonNode b = req.body().length == 0 ? Json.object() : body(req);
             String value = Json.textOrNull(b, "value") != null ? Json.textOrNull(b, "value") : newSecretValue();
             Instant end = Json.textOrNull(b, "endDateTime") != null
                     ? SeedLoader.instant(Json.textOrNull(b, "endDateTime")) : Instant.now().plus(Duration.ofDays(180));
             ClientSecret secret = new ClientSecret(null, Json.textOrNull(b, "displayName"), value, null, end);
             directory.updateApp(req.pathVariable("appId"), a -> a.secret(secret));
             return json(201, ModelJson.secret(secret, true));
         })
         .delete("/_sim/apps/{appId}/secrets/{keyId}", req -> {
             directory.updateApp(req.pathVariable("appId"), a -> a.removeSecret(req.pathVariable("keyId")));
             return Response.empty(204);
         })
         .post("/_sim/apps/{appId}/certificates", req -> {
             String pem = req.contentType().startsWith("application/json")
                     ? Json.textOrNull(body(req), "pem") : req.bodyText();
             return json(201, ModelJson.certificate(directory.addCertificatePem(req.pathVariable("appId"), pem)));
         })
         .delete("/_sim/apps/{appId}/certificates/{keyId}", req -> {
             directory.updateApp(req.pathVariable("appId"), a -> a.removeCertificate(req.pathVariable("keyId")));
             return Response.empty(204);
         });
    }

    private void registerUsers(Router r) {
        r.post(T + "/users:generate", req -> {
            JsonNode b = body(req);
            GenerationResult result = directory.generateUsers(req.pathVariable("tid"), b.path("count").asInt(0),
                    Json.textOrNull(b, "domain"), Json.textOrNull(b, "prefix"));
            return json(200, Json.object().put("created", result.created())
                    .put("elapsedMillis", result.elapsed().toMillis())
                    .put("firstUserPrincipalName", result.firstUserPrincipalName()));
        })
         .get(T + "/users", req -> {
             int top = intParam(req, "top", 100);
             int skip = intParam(req, "skip", 0);
             String tid = req.pathVariable("tid");
             return json(200, directory.read(tid, rd -> {
                 ObjectNode o = Json.object().put("count", rd.users().size());
                 ArrayNode values = o.putArray("value");
                 rd.users().values().stream().skip(skip).limit(top).forEach(u -> values.add(ModelJson.user(u)));
                 return o;
             }));
         })
         .post(T + "/users", req -> {
             JsonNode b = body(req);
             new SeedLoader(directory).createUser(req.pathVariable("tid"), b);
             return json(201, ModelJson.user(directory.requireUser(req.pathVariable("tid"),
                     Json.textOrNull(b, "userPrincipalName"))));
         })
         .post(T + "/users/{id}:restore", req -> json(200, ModelJson.user(
                 directory.restoreUser(req.pathVariable("tid"), req.pathVariable("id")))))
         .get(T + "/users/{id}", req -> json(200, ModelJson.user(
                 directory.requireUser(req.pathVariable("tid"), req.pathVariable("id")))))
         .patch(T + "/users/{id}", req -> json(200, ModelJson.user(
                 directory.patchUser(req.pathVariable("tid"), req.pathVariable("id"), body(req)))))
         .delete(T + "/users/{id}", req -> {
             boolean hard = req.query("hard").map(Boolean::parseBoolean).orElse(false);
             User u = hard ? directory.hardDeleteUser(req.pathVariable("tid"), req.pathVariable("id"))
                     : directory.deleteUser(req.pathVariable("tid"), req.pathVariable("id"));
             return json(200, Json.object().put("id", u.id()).put("deleted", hard ? "permanently" : "soft"));
         })
         .put(T + "/users/{id}/photo", req -> {
             var photo = directory.setPhoto(req.pathVariable("tid"), req.pathVariable("id"), req.body(),
                     req.contentType().split(";")[0].trim());
             return json(200, Json.object().put("contentType", photo.contentType()).put("etag", photo.etag())
                     .put("width", photo.width()).put("height", photo.height()));
         })
         .delete(T + "/users/{id}/photo", req -> {
             boolean removed = directory.removePhoto(req.pathVariable("tid"), req.pathVariable("id"));
             return removed ? Response.empty(204) : error(404, "The user has no photo");
         });
    }

    private void registerGroups(Router r) {
        r.get(T + "/groups", req -> json(200, array(directory.groups(req.pathVariable("tid")).stream()
                .map(ModelJson::group).toList())))
         .post(T + "/groups", req -> {
             String tid = req.pathVariable("tid");
             JsonNode b = body(req);
             Group g = directory.createGroup(tid, SeedLoader.group(b));
             for (JsonNode m : b.path("members")) {
                 directory.addMember(tid, g.id(), m.asText());
             }
             return json(201, ModelJson.group(g));
         })
         .get(T + "/groups/{gid}", req -> json(200, ModelJson.group(directory.group(req.pathVariable("tid"),
                 req.pathVariable("gid")).orElseThrow(() -> DirectoryException.notFound("No group " + req.pathVariable("gid"))))))
         .patch(T + "/groups/{gid}", req -> json(200, ModelJson.group(
                 directory.patchGroup(req.pathVariable("tid"), req.pathVariable("gid"), body(req)))))
         .delete(T + "/groups/{gid}", req -> {
             directory.deleteGroup(req.pathVariable("tid"), req.pathVariable("gid"));
             return Response.empty(204);
         })
         .get(T + "/groups/{gid}/members", req -> json(200, array(directory.members(req.pathVariable("tid"),
                 req.pathVariable("gid")).stream().map(ModelJson::member).toList())))
         .post(T + "/groups/{gid}/members", req -> {
             MemberRef m = directory.addMember(req.pathVariable("tid"), req.pathVariable("gid"),
                     Json.textOrNull(body(req), "id"));
             return json(201, ModelJson.member(m));
         })
         .delete(T + "/groups/{gid}/members/{mid}", req -> {
             directory.removeMember(req.pathVariable("tid"), req.pathVariable("gid"), req.pathVariable("mid"));
             return Response.empty(204);
         });
    }

    private void registerTesting(Router r) {
        r.get("/_sim/faults", req -> json(200, array(sim.faults().rules().stream().map(ModelJson::fault).toList())))
         .post("/_sim/faults", req -> json(201, ModelJson.fault(sim.faults().add(fault(body(req))))))
         .get("/_sim/requests/counts", req -> json(200, Json.mapper().valueToTree(sim.requests().counts())))
         .delete("/_sim/requests/counts", req -> {
             sim.requests().resetCounts();
             return Response.empty(204);
         })
         .delete("/_sim/faults", req -> {
             sim.faults().clear();
             return Response.empty(204);
         })
         .delete("/_sim/faults/{id}", req -> sim.faults().remove(req.pathVariable("id"))
                 ? Response.empty(204) : error(404, "No fault " + req.pathVariable("id")))
         .post("/_sim/tamper", req -> {
             JsonNode b = body(req);
             String clientId = require(b, "clientId");
             IdTokenDefect defect = IdTokenDefect.valueOf(require(b, "defect").toUpperCase(Locale.ROOT));
             int count = b.path("count").asInt(1);
             sim.tampering().nextIdTokens(clientId, defect, count);
             return json(200, Json.object().put("clientId", clientId).put("defect", defect.name())
                     .put("pending", sim.tampering().pending(clientId)));
         })
         .delete("/_sim/tamper", req -> {
             sim.tampering().clear();
             return Response.empty(204);
         })
         .get("/_sim/authorize-requests/{clientId}", req -> directory.lastAuthorizeRequest(req.pathVariable("clientId"))
                 .map(p -> json(200, Json.mapper().valueToTree(p)))
                 .orElseGet(() -> error(404, "No authorize request seen for client " + req.pathVariable("clientId"))))
         .get("/_sim/requests", req -> {
             String prefix = req.query("prefix").orElse("/");
             return sim.requests().last(prefix).map(this::recorded)
                     .orElseGet(() -> error(404, "No request recorded under " + prefix));
         });
    }

    private Response health(Request req) {
        ObjectNode o = Json.object();
        o.put("status", "UP");
        o.put("baseUrl", sim.baseUrl());
        o.put("trustAnchorPem", sim.trustAnchorPem().toString());
        o.put("tenants", directory.tenants().size());
        return json(200, o);
    }

    private AppRegistration patchApp(String appId, JsonNode b) {
        return directory.updateApp(appId, a -> {
            if (b.has("displayName")) {
                a.displayName(b.get("displayName").asText());
            }
            if (b.has("signInAudience")) {
                a.signInAudience(SignInAudience.parse(b.get("signInAudience").asText()));
            }
            if (b.has("redirectUris")) {
                a.clearRedirectUris();
                b.get("redirectUris").forEach(u -> a.redirectUri(u.asText()));
            }
            if (b.has("permissions")) {
                a.clearPermissions();
                b.get("permissions").forEach(p -> a.permission(p.asText()));
            }
            if (b.has("publicClient")) {
                a.publicClient(b.get("publicClient").asBoolean());
            }
            return a;
        });
    }

    private FaultRule fault(JsonNode b) {
        FaultRule.Builder builder = FaultRule.on(Json.textOrNull(b, "method"),
                b.hasNonNull("path") ? require(b, "path") : "")
                .tenant(Json.textOrNull(b, "tenant"));
        if (b.hasNonNull("mailbox")) {
            // a mailbox is addressed by object id or UPN: the rule matches both
            for (JsonNode m : b.get("mailbox").isArray() ? b.get("mailbox") : Json.array().add(b.get("mailbox"))) {
                String key = m.asText();
                builder.mailbox(key);
                String tenant = b.hasNonNull("tenant") ? Json.textOrNull(b, "tenant")
                        : directory.tenantOfUser(key).map(t -> t.id()).orElse(null);
                if (tenant != null) {
                    directory.user(tenant, key).ifPresent(u -> builder.mailbox(u.id(), u.userPrincipalName()));
                }
            }
        }
        JsonNode times = b.get("times");
        if (b.path("untilCleared").asBoolean(false) || (times != null && "untilCleared".equals(times.asText()))) {
            builder.untilCleared();
        } else if (times != null) {
            builder.times(times.asInt());
        }
        if (b.hasNonNull("probability")) {
            builder.probability(b.get("probability").asDouble(), b.path("seed").asLong(42));
        }
        FaultKind kind = FaultKind.valueOf(require(b, "kind").toUpperCase(Locale.ROOT));
        Integer status = b.hasNonNull("status") ? b.get("status").asInt() : null;
        Integer retryAfter = b.hasNonNull("retryAfter") ? b.get("retryAfter").asInt() : null;
        Duration latency = b.hasNonNull("latencyMs") ? Duration.ofMillis(b.get("latencyMs").asLong()) : null;
        return builder.kind(kind, status, retryAfter, latency);
    }

    private Response recorded(RecordedRequest r) {
        ObjectNode o = Json.object();
        o.put("receivedAt", r.receivedAt().toString());
        o.put("method", r.method());
        o.put("path", r.path());
        if (r.rawQuery() != null) {
            o.put("query", r.rawQuery());
        }
        ObjectNode headers = o.putObject("headers");
        r.headers().forEach((k, v) -> headers.put(k, String.join(", ", v)));
        return json(200, o);
    }

    private static ObjectNode seedSummary(SeedLoader.Summary s) {
        ObjectNode o = Json.object();
        o.set("tenants", array(s.tenants().stream().map(ModelJson::tenant).toList()));
        o.set("apps", array(s.apps().stream().map(ModelJson::app).toList()));
        o.put("users", s.users());
        o.put("groups", s.groups());
        o.put("generatedUsers", s.generated());
        return o;
    }

    private static int intParam(Request req, String name, int dflt) {
        return req.query(name).map(Integer::parseInt).orElse(dflt);
    }

    private static String newSecretValue() {
        byte[] b = new byte[30];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static ArrayNode array(List<ObjectNode> nodes) {
        ArrayNode a = Json.array();
        nodes.forEach(a::add);
        return a;
    }

    private static Response json(int status, JsonNode node) {
        return Response.json(status, node);
    }

    private static Response error(int status, String message) {
        return Response.json(status, Json.object().put("error", message));
    }

    @Override
    public Response notFound(Request request) {
        return error(404, "No control API path " + request.method() + " " + request.path()
                + " (see simulator/README.md)");
    }

    @Override
    public Response methodNotAllowed(Request request) {
        return error(405, request.method() + " is not supported on " + request.path());
    }

    @Override
    public Response internalError(Request request, Exception e) {
        if (e instanceof DirectoryException de) {
            return error(switch (de.reason()) {
                case NOT_FOUND -> 404;
                case CONFLICT -> 409;
                case INVALID -> 400;
            }, de.getMessage());
        }
        if (e instanceof IllegalArgumentException) {
            return error(400, e.getMessage());
        }
        return error(500, e.toString());
    }

    @Override
    public Response injectedStatus(Request request, int status, Integer retryAfterSeconds) {
        return error(status, "injected fault");
    }
}
