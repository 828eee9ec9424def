package dev.entrapbx.simulator.control;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.entrapbx.simulator.fault.FaultRule;
import dev.entrapbx.simulator.json.Json;
import dev.entrapbx.simulator.model.AppCertificate;
import dev.entrapbx.simulator.model.AppRegistration;
import dev.entrapbx.simulator.model.ClientSecret;
import dev.entrapbx.simulator.model.Domain;
import dev.entrapbx.simulator.model.Group;
import dev.entrapbx.simulator.model.MemberRef;
import dev.entrapbx.simulator.model.PropertyDef;
import dev.entrapbx.simulator.model.Tenant;
import dev.entrapbx.simulator.model.User;

import java.util.List;

/** JSON views of the simulator's model for the control API (secret values are shown only when created). */
final class ModelJson {
    private ModelJson() { }

    static ObjectNode tenant(Tenant t) {
        ObjectNode o = Json.object();
        o.put("id", t.id());
        o.put("displayName", t.displayName());
        o.put("createdDateTime", t.createdDateTime().toString());
        ArrayNode domains = o.putArray("domains");
        for (Domain d : t.domains()) {
            domains.addObject().put("name", d.name()).put("isDefault", d.isDefault())
                    .put("isInitial", d.isInitial()).put("isVerified", d.isVerified());
        }
        return o;
    }

    static ObjectNode app(AppRegistration a) {
        ObjectNode o = Json.object();
        o.put("appId", a.appId());
        o.put("objectId", a.objectId());
        o.put("tenantId", a.tenantId());
        o.put("displayName", a.displayName());
        o.put("signInAudience", a.signInAudience().name());
        o.put("publicClient", a.publicClient());
        strings(o.putArray("redirectUris"), a.redirectUris());
        strings(o.putArray("permissions"), List.copyOf(a.permissions()));
        ArrayNode secrets = o.putArray("secrets");
        a.secrets().forEach(s -> secrets.add(secret(s, false)));
        ArrayNode certs = o.putArray("certificates");
        a.certificates().forEach(c -> certs.add(certificate(c)));
        return o;
    }

    static ObjectNode secret(ClientSecret s, boolean withValue) {
        ObjectNode o = Json.object();
        o.put("keyId", s.keyId());
        if (s.displayName() != null) {
            o.put("displayName", s.displayName());
        }
        o.put("hint", s.hint());
        if (withValue) {
            o.put("value", s.value());
        }
        o.put("startDateTime", s.startDateTime().toString());
        o.put("endDateTime", s.endDateTime().toString());
        return o;
    }

    static ObjectNode certificate(AppCertificate c) {
        ObjectNode o = Json.object();
        o.put("keyId", c.keyId());
        o.put("displayName", c.displayName());
        o.put("thumbprint", c.thumbprint());
        o.put("x5t", c.x5t());
        o.put("x5tS256", c.x5tS256());
        o.put("startDateTime", c.startDateTime().toString());
        o.put("endDateTime", c.endDateTime().toString());
        return o;
    }

    static ObjectNode user(User u) {
        ObjectNode o = Json.object();
        for (PropertyDef def : u.schema().properties()) {
            Object v = u.values().get(def.name());
            if (v != null) {
                o.set(def.name(), def.type().toJson(v));
            }
        }
        o.put("emailVerified", u.emailVerified());
        o.put("hasPassword", u.password() != null);
        return o;
    }

    static ObjectNode group(Group g) {
        ObjectNode o = Json.object();
        for (PropertyDef def : g.schema().properties()) {
            Object v = g.values().get(def.name());
            if (v != null) {
                o.set(def.name(), def.type().toJson(v));
            }
        }
        return o;
    }

    static ObjectNode member(MemberRef m) {
        return Json.object().put("@odata.type", m.kind().odataType()).put("id", m.id());
    }

    static ObjectNode fault(FaultRule f) {
        ObjectNode o = Json.object();
        o.put("id", f.id());
        o.put("method", f.method());
        o.put("path", f.pathRegex());
        if (f.tenantId() != null) {
            o.put("tenant", f.tenantId());
        }
        if (!f.mailbox().isEmpty()) {
            ArrayNode m = o.putArray("mailbox");
            f.mailbox().forEach(m::add);
        }
        o.put("kind", f.kind().name());
        if (f.status() > 0) {
            o.put("status", f.status());
        }
        if (f.retryAfterSeconds() != null) {
            o.put("retryAfter", f.retryAfterSeconds());
        }
        if (f.latency() != null) {
            o.put("latencyMs", f.latency().toMillis());
        }
        o.put("times", f.times() == FaultRule.UNTIL_CLEARED ? "untilCleared" : String.valueOf(f.times()));
        o.put("remaining", f.times() == FaultRule.UNTIL_CLEARED ? -1 : f.remaining());
        o.put("fired", f.fired());
        return o;
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}
