package dev.entrapbx.simulator.control;

import static dev.entrapbx.simulator.control.ControlBodies.body;
import static dev.entrapbx.simulator.control.ControlBodies.require;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.entrapbx.simulator.contacts.ContactFolder;
import dev.entrapbx.simulator.contacts.ContactsStore;
import dev.entrapbx.simulator.contacts.EmailAddress;
import dev.entrapbx.simulator.contacts.Mailbox;
import dev.entrapbx.simulator.contacts.OrgContact;
import dev.entrapbx.simulator.contacts.OutlookIds;
import dev.entrapbx.simulator.contacts.Phone;
import dev.entrapbx.simulator.contacts.StoredContact;
import dev.entrapbx.simulator.directory.Directory;
import dev.entrapbx.simulator.http.Request;
import dev.entrapbx.simulator.http.Response;
import dev.entrapbx.simulator.http.Router;
import dev.entrapbx.simulator.json.Json;

import java.util.ArrayList;
import java.util.List;

/**
 * Control API for contacts: mailboxes ({@code /_sim/tenants/{tid}/mailboxes/{user}}) with their contact folders and
 * contacts, shared mailboxes, organizational contacts ({@code /_sim/tenants/{tid}/contacts}), bulk generators and
 * delta expiry. Bodies use Graph's property names; answers show objects with the ids Graph uses.
 */
final class ContactsControl {
    private static final String T = "/_sim/tenants/{tid}";
    private static final String M = T + "/mailboxes/{user}";

    private final ContactsStore store;
    private final Directory directory;

    ContactsControl(ContactsStore store, Directory directory) {
        this.store = store;
        this.directory = directory;
    }

    void register(Router r) {
        r.post(T + "/sharedMailboxes", req -> {
             JsonNode b = body(req);
             Mailbox m = store.createSharedMailbox(tid(req), require(b, "userPrincipalName"),
                     Json.textOrNull(b, "displayName"), Json.textOrNull(b, "mail"));
             return Response.json(201, mailbox(m));
         })
         .get(M, req -> Response.json(200, mailbox(store.mailbox(tid(req), user(req)))))
         .put(M, req -> Response.json(200, mailbox(store.enableMailbox(tid(req), user(req),
                 body(req).path("enabled").asBoolean(true)))))
         .post(T + "/mailboxes:generateContacts", req -> {
             JsonNode b = body(req);
             List<String> users = new ArrayList<>();
             b.path("users").forEach(u -> users.add(u.asText()));
             return generated(store.generate(tid(req), users, b.path("perUser").asInt(0),
                     Json.textOrNull(b, "folder"), b.path("seed").asLong(42)));
         })
         .post(M + "/contacts:generate", req -> {
             JsonNode b = body(req);
             return generated(store.generateInMailbox(tid(req), user(req), b.path("count").asInt(0),
                     Json.textOrNull(b, "folder"), b.path("seed").asLong(42)));
         })
         .post(M + "/delta:expire", req -> {
             store.expireMailboxDelta(tid(req), user(req));
             return Response.json(200, Json.object().put("status", "contacts and contactFolders delta tokens of the "
                     + "mailbox now answer 410 SyncStateNotFound"));
         })
         .get(M + "/contactFolders", req -> {
             Mailbox m = store.mailbox(tid(req), user(req));
             return Response.json(200, m.read(x -> {
                 ArrayNode a = Json.array();
                 x.folders().values().forEach(f -> a.add(folder(x, f)));
                 return a;
             }));
         })
         .post(M + "/contactFolders", req -> {
             JsonNode b = body(req);
             ContactFolder f = store.createFolder(tid(req), user(req), require(b, "displayName"),
                     Json.textOrNull(b, "parentFolderId"));
             Mailbox m = store.mailbox(tid(req), user(req));
             return Response.json(201, m.read(x -> folder(x, f)));
         })
         .patch(M + "/contactFolders/{fid}", req -> {
             ContactFolder f = store.renameFolder(tid(req), user(req), req.pathVariable("fid"),
                     require(body(req), "displayName"));
             return Response.json(200, store.mailbox(tid(req), user(req)).read(x -> folder(x, f)));
         })
         .delete(M + "/contactFolders/{fid}", req -> {
             store.deleteFolder(tid(req), user(req), req.pathVariable("fid"));
             return Response.empty(204);
         })
         .post(M + "/contactFolders/{fid}/delta:expire", req -> {
             store.expireFolderDelta(tid(req), user(req), req.pathVariable("fid"));
             return Response.json(200, Json.object().put("status", "the folder's contacts delta tokens now answer "
                     + "410 SyncStateNotFound"));
         })
         .post(M + "/contactFolders/{fid}/contacts", req -> contact(req,
                 store.createContact(tid(req), user(req), req.pathVariable("fid"), body(req)), 201))
         .post(M + "/contacts", req -> contact(req,
                 store.createContact(tid(req), user(req), null, body(req)), 201))
         .get(M + "/contacts/{cid}", req -> {
             Mailbox m = store.mailbox(tid(req), user(req));
             StoredContact c = m.read(x -> x.seqOf(req.pathVariable("cid"), OutlookIds.Kind.CONTACT)
                     .flatMap(x::contact)).orElseThrow(() -> dev.entrapbx.simulator.directory.DirectoryException
                     .notFound("No contact " + req.pathVariable("cid")));
             return contact(req, c, 200);
         })
         .patch(M + "/contacts/{cid}", req -> contact(req,
                 store.patchContact(tid(req), user(req), req.pathVariable("cid"), body(req)), 200))
         .delete(M + "/contacts/{cid}", req -> {
             store.deleteContact(tid(req), user(req), req.pathVariable("cid"));
             return Response.empty(204);
         })
         // organizational contacts
         .get(T + "/contacts", req -> Response.json(200, store.orgContacts(tid(req)).read(s -> {
             ArrayNode a = Json.array();
             s.contacts().values().forEach(e -> a.add(orgContact(e.contact())));
             return a;
         })))
         .post(T + "/contacts", req -> Response.json(201, orgContact(store.createOrgContact(tid(req), body(req)))))
         .post(T + "/contacts:generate", req -> {
             JsonNode b = body(req);
             return generated(store.generateOrgContacts(tid(req), b.path("count").asInt(0), b.path("seed").asLong(42)));
         })
         .post(T + "/contacts/delta:expire", req -> {
             store.expireOrgContactDelta(tid(req));
             return Response.json(200, Json.object().put("status", "orgContact delta tokens now answer 400 "
                     + "syncStateNotFound"));
         })
         .get(T + "/contacts/{id}", req -> Response.json(200, orgContact(store.orgContacts(tid(req))
                 .read(s -> s.get(req.pathVariable("id"))).orElseThrow(() -> dev.entrapbx.simulator.directory
                         .DirectoryException.notFound("No orgContact " + req.pathVariable("id"))))))
         .patch(T + "/contacts/{id}", req -> Response.json(200, orgContact(
                 store.patchOrgContact(tid(req), req.pathVariable("id"), body(req)))))
         .delete(T + "/contacts/{id}", req -> {
             store.deleteOrgContact(tid(req), req.pathVariable("id"));
             return Response.empty(204);
         });
    }

    private String tid(Request req) {
        return directory.requireTenant(req.pathVariable("tid")).id();
    }

    private static String user(Request req) {
        return req.pathVariable("user");
    }

    private Response contact(Request req, StoredContact c, int status) {
        Mailbox m = store.mailbox(tid(req), user(req));
        return Response.json(status, m.read(x -> {
            ObjectNode o = Json.object();
            o.put("id", x.id(OutlookIds.Kind.CONTACT, c.seq()));
            o.put("parentFolderId", x.folderId(c.folderSeq()));
            o.put("changeKey", OutlookIds.changeKey(c.seq(), c.version()));
            o.put("displayName", c.fields().displayName());
            o.put("givenName", c.fields().givenName());
            o.put("surname", c.fields().surname());
            o.put("companyName", c.fields().companyName());
            ArrayNode phones = o.putArray("businessPhones");
            c.fields().businessPhones().forEach(phones::add);
            ArrayNode home = o.putArray("homePhones");
            c.fields().homePhones().forEach(home::add);
            o.put("mobilePhone", c.fields().mobilePhone());
            ArrayNode emails = o.putArray("emailAddresses");
            for (EmailAddress e : c.fields().emailAddresses()) {
                emails.addObject().put("name", e.name()).put("address", e.address());
            }
            return o;
        }));
    }

    private static ObjectNode folder(Mailbox x, ContactFolder f) {
        return Json.object().put("id", x.folderId(f.seq())).put("displayName", f.displayName())
                .put("parentFolderId", x.folderId(f.parentSeq())).put("contacts", f.contacts().size());
    }

    private static ObjectNode mailbox(Mailbox m) {
        return m.read(x -> {
            ObjectNode o = Json.object();
            o.put("userId", x.ownerId());
            o.put("enabled", x.enabled());
            o.put("contacts", x.contactCount());
            ArrayNode folders = o.putArray("contactFolders");
            x.folders().values().forEach(f -> folders.add(folder(x, f)));
            return o;
        });
    }

    private static ObjectNode orgContact(OrgContact c) {
        ObjectNode o = Json.object();
        o.put("id", c.id());
        o.put("displayName", c.displayName());
        o.put("givenName", c.givenName());
        o.put("surname", c.surname());
        o.put("companyName", c.companyName());
        o.put("jobTitle", c.jobTitle());
        o.put("department", c.department());
        o.put("mail", c.mail());
        o.put("mailNickname", c.mailNickname());
        ArrayNode phones = o.putArray("phones");
        for (Phone p : c.phones()) {
            phones.addObject().put("type", p.type()).put("number", p.number());
        }
        return o;
    }

    private static Response generated(ContactsStore.Generated g) {
        return Response.json(200, Json.object().put("mailboxes", g.mailboxes()).put("created", g.contacts())
                .put("elapsedMillis", g.elapsed().toMillis()));
    }
}
