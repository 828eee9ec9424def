package dev.entrapbx.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.entrapbx.simulator.contacts.ContactFolder;
import dev.entrapbx.simulator.contacts.ContactsStore;
import dev.entrapbx.simulator.contacts.Mailbox;
import dev.entrapbx.simulator.contacts.OrgContact;
import dev.entrapbx.simulator.contacts.OutlookIds;
import dev.entrapbx.simulator.contacts.StoredContact;
import dev.entrapbx.simulator.fault.FaultRule;
import dev.entrapbx.simulator.json.Json;
import dev.entrapbx.simulator.model.User;
import dev.entrapbx.simulator.support.DeltaRound;
import dev.entrapbx.simulator.support.SimulatorTestSupport;
import dev.entrapbx.simulator.support.TestHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Outlook contacts, contact folders and organizational contacts as Graph v1.0 serves them. */
class ContactsTest extends SimulatorTestSupport {
    private Fixture fx;
    private String token;
    private User ann;
    private User bob;
    private ContactsStore contacts;

    @BeforeEach
    void seed() {
        fx = fixture("Contacts", "User.Read.All", "Contacts.Read", "OrgContact.Read.All");
        ann = user(fx, "ann");
        bob = user(fx, "bob");
        contacts = sim.contacts();
        token = appToken(fx);
    }

    @AfterEach
    void clear() {
        sim.faults().clear();
    }

    private StoredContact contact(User owner, String folderId, String json) {
        return contacts.createContact(fx.tenantId(), owner.id(), folderId, Json.parse(json));
    }

    private String idOf(User owner, StoredContact c) {
        return contacts.mailbox(fx.tenantId(), owner.id()).id(OutlookIds.Kind.CONTACT, c.seq());
    }

    private DeltaRound round(String url, String... headers) {
        return DeltaRound.run(url, (u, n) -> graphJson(token, u, headers));
    }

    @Test
    void foldersListTheDefaultContactsFolderAndChildFolders() {
        ContactFolder suppliers = contacts.createFolder(fx.tenantId(), ann.userPrincipalName(), "Suppliers", null);
        Mailbox m = contacts.mailbox(fx.tenantId(), ann.id());
        String suppliersId = m.folderId(suppliers.seq());
        contacts.createFolder(fx.tenantId(), ann.id(), "Plumbers", suppliersId);

        JsonNode top = graphJson(token, "/v1.0/users/" + ann.userPrincipalName() + "/contactFolders");
        assertThat(top.get("@odata.context").asText()).endsWith("/v1.0/$metadata#users('"
                + ann.userPrincipalName() + "')/contactFolders");
        // the folders in the default Contacts folder (Graph: "the contact folder collection in the default Contacts folder")
        assertThat(top.get("value")).extracting(v -> v.get("displayName").asText()).containsExactly("Suppliers");
        JsonNode defaultFolder = graphJson(token, "/v1.0/users/" + ann.id() + "/contactFolders/contacts");
        assertThat(defaultFolder.get("displayName").asText()).isEqualTo("Contacts");
        assertThat(top.get("value").get(0).get("parentFolderId").asText()).isEqualTo(defaultFolder.get("id").asText());

        JsonNode children = graphJson(token, "/v1.0/users/" + ann.id() + "/contactFolders/" + suppliersId + "/childFolders");
        assertThat(children.get("value")).extracting(v -> v.get("displayName").asText()).containsExactly("Plumbers");
        assertThat(children.get("value").get(0).get("parentFolderId").asText()).isEqualTo(suppliersId);

        JsonNode one = graphJson(token, "/v1.0/users/" + ann.id() + "/contactFolders/" + suppliersId);
        assertThat(one.get("displayName").asText()).isEqualTo("Suppliers");
        assertThat(one.get("@odata.context").asText()).endsWith("/contactFolders/$entity");
    }

    @Test
    void contactsAreListedWithGraphsShapeAndOutlookPaging() {
        for (int i = 0; i < 12; i++) {
            contact(ann, null, "{\"givenName\":\"G" + i + "\",\"surname\":\"S\",\"displayName\":\"G" + i + " S\","
                    + "\"businessPhones\":[\"+44 20 7946 0" + (100 + i) + "\"],"
                    + "\"emailAddresses\":[{\"name\":\"G" + i + "\",\"address\":\"g" + i + "@fabrikam.example\"}]}");
        }
        JsonNode first = graphJson(token, "/v1.0/users/" + ann.id() + "/contacts");
        assertThat(first.get("value")).hasSize(10);
        assertThat(first.get("@odata.nextLink").asText()).endsWith("/v1.0/users/" + ann.id() + "/contacts?$skip=10");
        JsonNode c = first.get("value").get(0);
        assertThat(c.get("@odata.etag").asText()).startsWith("W/\"");
        assertThat(c.get("changeKey").asText()).isNotBlank();
        assertThat(c.get("businessPhones").get(0).asText()).isEqualTo("+44 20 7946 0100");
        assertThat(c.get("emailAddresses").get(0).get("address").asText()).isEqualTo("g0@fabrikam.example");
        assertThat(c.get("homeAddress").isObject()).isTrue();
        assertThat(c.get("mobilePhone").isNull()).isTrue();
        assertThat(c.get("parentFolderId").asText()).isNotBlank();
        JsonNode second = graphJson(token, first.get("@odata.nextLink").asText());
        assertThat(second.get("value")).hasSize(2);
        assertThat(second.has("@odata.nextLink")).isFalse();

        JsonNode byMail = graphJson(token, "/v1.0/users/" + ann.id()
                + "/contacts?$filter=emailAddresses/any(a:a/address%20eq%20'g3@fabrikam.example')&$select=displayName");
        assertThat(byMail.get("value")).hasSize(1);
        assertThat(byMail.get("value").get(0).get("displayName").asText()).isEqualTo("G3 S");
        assertThat(byMail.get("value").get(0).has("surname")).isFalse();

        String id = c.get("id").asText();
        JsonNode got = graphJson(token, "/v1.0/users/" + ann.id() + "/contacts/" + id);
        assertThat(got.get("id").asText()).isEqualTo(id);
        HttpResponse<String> elsewhere = graphGet(token, "/v1.0/users/" + bob.id() + "/contacts/" + id);
        assertThat(elsewhere.statusCode()).isEqualTo(404);
        assertThat(TestHttp.json(elsewhere).at("/error/code").asText()).isEqualTo("ErrorItemNotFound");
        assertThat(TestHttp.json(graphGet(token, "/v1.0/users/" + ann.id() + "/contacts/nonsense")).at("/error/code")
                .asText()).isEqualTo("ErrorInvalidIdMalformed");
    }

    @Test
    void contactsDeltaFirstRoundThenEditsDeletesAndMoves() {
        ContactFolder folder = contacts.createFolder(fx.tenantId(), ann.id(), "Customers", null);
        String folderId = contacts.mailbox(fx.tenantId(), ann.id()).folderId(folder.seq());
        StoredContact[] cs = new StoredContact[5];
        for (int i = 0; i < 5; i++) {
            cs[i] = contact(ann, folderId, "{\"displayName\":\"Customer " + i + "\",\"mobilePhone\":\"07700 900" + i + "00\"}");
        }
        contact(ann, null, "{\"displayName\":\"In the default folder\"}");
        String delta = "/v1.0/users/" + ann.userPrincipalName() + "/contactFolders/" + folderId + "/contacts/delta";

        DeltaRound first = round(delta + "?$select=displayName,mobilePhone", "Prefer", "odata.maxpagesize=2");
        assertThat(first.pages()).isEqualTo(3);
        assertThat(first.items()).hasSize(5);
        JsonNode item = first.item(idOf(ann, cs[0]));
        assertThat(item.get("@odata.type").asText()).isEqualTo("#microsoft.graph.contact");
        assertThat(item.get("displayName").asText()).isEqualTo("Customer 0");
        assertThat(item.has("companyName")).isFalse();
        assertThat(first.deltaLink()).contains("/contacts/delta?$deltatoken=").doesNotContain("$select");

        HttpResponse<String> page = graphGet(token, delta, "Prefer", "odata.maxpagesize=2");
        assertThat(page.headers().firstValue("Preference-Applied")).contains("odata.maxpagesize=2");
        assertThat(TestHttp.json(page).get("@odata.context").asText()).endsWith("$metadata#Collection(contact)");

        assertThat(round(first.deltaLink()).items()).isEmpty();

        contacts.updateContact(fx.tenantId(), ann.id(), idOf(ann, cs[1]), f -> f.apply(
                Json.parse("{\"mobilePhone\":\"+44 7700 900111\"}")));
        contacts.deleteContact(fx.tenantId(), ann.id(), idOf(ann, cs[2]));
        contacts.patchContact(fx.tenantId(), ann.id(), idOf(ann, cs[3]),
                Json.parse("{\"parentFolderId\":\"" + contacts.mailbox(fx.tenantId(), ann.id()).folderId(1) + "\"}"));
        StoredContact added = contact(ann, folderId, "{\"displayName\":\"Newcomer\"}");

        DeltaRound second = round(first.deltaLink());
        assertThat(second.ids()).containsExactlyInAnyOrder(idOf(ann, cs[1]), idOf(ann, added), idOf(ann, cs[2]),
                idOf(ann, cs[3]));
        assertThat(second.item(idOf(ann, cs[1])).get("mobilePhone").asText()).isEqualTo("+44 7700 900111");
        assertThat(second.item(idOf(ann, cs[1])).get("displayName").asText()).isEqualTo("Customer 1");
        JsonNode removed = second.item(idOf(ann, cs[2]));
        assertThat(removed.get("@removed").get("reason").asText()).isEqualTo("deleted");
        assertThat(removed.get("@odata.type").asText()).isEqualTo("#microsoft.graph.contact");
        assertThat(second.item(idOf(ann, cs[3])).has("@removed")).isTrue(); // moved out of the folder

        // the default folder's delta sees the moved contact arrive
        DeltaRound defaults = round("/v1.0/users/" + ann.id() + "/contacts/delta");
        assertThat(defaults.ids()).contains(idOf(ann, cs[3]));

        // deleting the folder: its contacts delta is gone, the folders delta reports it removed
        DeltaRound folders = round("/v1.0/users/" + ann.id() + "/contactFolders/delta");
        assertThat(folders.items()).extracting(f -> f.get("displayName").asText()).containsExactlyInAnyOrder("Contacts", "Customers");
        contacts.deleteFolder(fx.tenantId(), ann.id(), folderId);
        HttpResponse<String> gone = graphGet(token, second.deltaLink());
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(TestHttp.json(gone).at("/error/code").asText()).isEqualTo("ErrorItemNotFound");
        DeltaRound foldersAfter = round(folders.deltaLink());
        assertThat(foldersAfter.items()).hasSize(1);
        assertThat(foldersAfter.items().get(0).get("id").asText()).isEqualTo(folderId);
        assertThat(foldersAfter.items().get(0).get("@removed").get("reason").asText()).isEqualTo("deleted");
    }

    @Test
    void anExpiredContactsDeltaTokenIs410SyncStateNotFoundAndAFullReadRecovers() {
        for (int i = 0; i < 3; i++) {
            contact(ann, null, "{\"displayName\":\"C" + i + "\"}");
        }
        String folderId = contacts.mailbox(fx.tenantId(), ann.id()).folderId(Mailbox.DEFAULT_FOLDER);
        String delta = "/v1.0/users/" + ann.id() + "/contactFolders/" + folderId + "/contacts/delta";
        DeltaRound first = round(delta);
        HttpResponse<String> midRound = graphGet(token, delta, "Prefer", "odata.maxpagesize=1");
        String skipLink = TestHttp.json(midRound).get("@odata.nextLink").asText();

        contacts.expireFolderDelta(fx.tenantId(), ann.id(), folderId);
        for (String url : List.of(first.deltaLink(), skipLink)) {
            HttpResponse<String> expired = graphGet(token, url);
            assertThat(expired.statusCode()).as(expired.body()).isEqualTo(410);
            assertThat(TestHttp.json(expired).at("/error/code").asText()).isEqualTo("SyncStateNotFound");
        }
        HttpResponse<String> forged = graphGet(token, delta + "?$deltatoken=not-a-token");
        assertThat(forged.statusCode()).isEqualTo(410);
        assertThat(round(delta).items()).hasSize(3);

        DeltaRound folders = round("/v1.0/users/" + ann.id() + "/contactFolders/delta");
        contacts.expireMailboxDelta(fx.tenantId(), ann.id());
        assertThat(graphGet(token, folders.deltaLink()).statusCode()).isEqualTo(410);
    }

    @Test
    void orgContactsListGetAndDelta() {
        OrgContact a = contacts.createOrgContact(fx.tenantId(), Json.parse("{\"displayName\":\"Hotline\","
                + "\"companyName\":\"Fabrikam\",\"mail\":\"hotline@fabrikam.example\","
                + "\"phones\":[{\"type\":\"business\",\"number\":\"+1 425 555 0100\"},{\"type\":\"businessFax\",\"number\":\"111-1111\"}]}"));
        contacts.generateOrgContacts(fx.tenantId(), 7, 3);
        JsonNode list = graphJson(token, "/v1.0/contacts?$top=5");
        assertThat(list.get("@odata.context").asText()).endsWith("/v1.0/$metadata#contacts");
        assertThat(list.get("value")).hasSize(5);
        JsonNode rest = graphJson(token, list.get("@odata.nextLink").asText());
        assertThat(rest.get("value")).hasSize(3);
        JsonNode got = graphJson(token, "/v1.0/contacts/" + a.id());
        assertThat(got.get("phones").get(1).get("type").asText()).isEqualTo("businessFax");
        assertThat(got.get("jobTitle").isNull()).isTrue();

        DeltaRound first = round("/v1.0/contacts/delta?$select=displayName,phones", "Prefer", "odata.maxpagesize=3");
        assertThat(first.items()).hasSize(8);
        assertThat(first.pages()).isEqualTo(3);
        assertThat(first.item(a.id()).has("mail")).isFalse();

        contacts.patchOrgContact(fx.tenantId(), a.id(), Json.parse("{\"phones\":[{\"type\":\"business\",\"number\":\"+1 425 555 0199\"}]}"));
        OrgContact other = contacts.orgContacts(fx.tenantId()).read(s -> s.contacts().values().stream()
                .map(e -> e.contact()).filter(c -> !c.id().equals(a.id())).findFirst().orElseThrow());
        contacts.patchOrgContact(fx.tenantId(), other.id(), Json.parse("{\"jobTitle\":\"not tracked\"}"));
        OrgContact third = contacts.orgContacts(fx.tenantId()).read(s -> s.contacts().values().stream()
                .map(e -> e.contact()).filter(c -> !c.id().equals(a.id()) && !c.id().equals(other.id()))
                .findFirst().orElseThrow());
        contacts.deleteOrgContact(fx.tenantId(), third.id());

        DeltaRound second = round(first.deltaLink());
        assertThat(second.ids()).containsExactlyInAnyOrder(a.id(), third.id());
        assertThat(second.item(a.id()).get("phones").get(0).get("number").asText()).isEqualTo("+1 425 555 0199");
        assertThat(second.item(a.id()).get("displayName").asText()).isEqualTo("Hotline");
        assertThat(second.item(third.id()).get("@removed").get("reason").asText()).isEqualTo("deleted");

        contacts.patchOrgContact(fx.tenantId(), a.id(), Json.parse("{\"displayName\":\"Hotline 2\"}"));
        DeltaRound minimal = round(second.deltaLink(), "Prefer", "return=minimal");
        assertThat(minimal.item(a.id()).has("phones")).isFalse();
        assertThat(minimal.item(a.id()).get("displayName").asText()).isEqualTo("Hotline 2");

        sim.contacts().expireOrgContactDelta(fx.tenantId());
        HttpResponse<String> expired = graphGet(token, minimal.deltaLink());
        assertThat(expired.statusCode()).isEqualTo(400);
        assertThat(TestHttp.json(expired).at("/error/code").asText()).isEqualTo("syncStateNotFound");
    }

    @Test
    void permissionsAreCheckedWithEachWorkloadsErrorShape() {
        Fixture noContacts = fixture("NoContacts", "User.Read.All");
        User carol = user(noContacts, "carol");
        String t = appToken(noContacts);
        HttpResponse<String> outlook = graphGet(t, "/v1.0/users/" + carol.id() + "/contacts/delta");
        assertThat(outlook.statusCode()).isEqualTo(403);
        assertThat(TestHttp.json(outlook).at("/error/code").asText()).isEqualTo("ErrorAccessDenied");
        HttpResponse<String> org = graphGet(t, "/v1.0/contacts/delta");
        assertThat(org.statusCode()).isEqualTo(403);
        assertThat(TestHttp.json(org).at("/error/code").asText()).isEqualTo("Authorization_RequestDenied");

        Fixture directoryRead = fixture("DirRead", "Directory.Read.All");
        assertThat(graphGet(appToken(directoryRead), "/v1.0/contacts").statusCode()).isEqualTo(200);
    }

    @Test
    void unknownUsersAndUsersWithoutMailboxAre404() {
        HttpResponse<String> unknown = graphGet(token, "/v1.0/users/nobody@" + fx.domain() + "/contactFolders");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(TestHttp.json(unknown).at("/error/code").asText()).isEqualTo("ErrorInvalidUser");

        User guest = sim.directory().createUser(fx.tenantId(), User.builder()
                .userPrincipalName("guest_ext#EXT#@" + fx.domain()).userType("Guest").mail("guest@other.example"));
        HttpResponse<String> noMailbox = graphGet(token, "/v1.0/users/" + guest.id() + "/contacts");
        assertThat(noMailbox.statusCode()).isEqualTo(404);
        assertThat(TestHttp.json(noMailbox).at("/error/code").asText()).isEqualTo("MailboxNotEnabledForRESTAPI");

        contacts.enableMailbox(fx.tenantId(), bob.id(), false);
        assertThat(graphGet(token, "/v1.0/users/" + bob.id() + "/contacts").statusCode()).isEqualTo(404);
        contacts.enableMailbox(fx.tenantId(), bob.id(), true);
        assertThat(graphGet(token, "/v1.0/users/" + bob.id() + "/contacts").statusCode()).isEqualTo(200);
    }

    @Test
    void sharedMailboxesHaveContacts() {
        Mailbox shared = contacts.createSharedMailbox(fx.tenantId(), "company-book@" + fx.domain(), "Company book", null);
        contacts.generateInMailbox(fx.tenantId(), "company-book@" + fx.domain(), 25, null, 9);
        User u = sim.directory().requireUser(fx.tenantId(), shared.ownerId());
        assertThat(u.accountEnabled()).isFalse();
        assertThat(round("/v1.0/users/company-book@" + fx.domain() + "/contacts/delta", "Prefer",
                "odata.maxpagesize=200").items()).hasSize(25);
    }

    @Test
    void oneMailboxIsThrottledWhileAnotherAnswers() {
        contact(ann, null, "{\"displayName\":\"A\"}");
        contact(bob, null, "{\"displayName\":\"B\"}");
        sim.faults().add(FaultRule.on("GET", "").mailbox(ann.id(), ann.userPrincipalName()).untilCleared().throttle(9));
        for (String key : List.of(ann.id(), ann.userPrincipalName())) {
            HttpResponse<String> r = graphGet(token, "/v1.0/users/" + key + "/contacts/delta");
            assertThat(r.statusCode()).isEqualTo(429);
            assertThat(r.headers().firstValue("Retry-After")).contains("9");
            assertThat(TestHttp.json(r).at("/error/code").asText()).isEqualTo("ApplicationThrottled");
            assertThat(TestHttp.json(r).at("/error/message").asText()).contains("MailboxConcurrency");
        }
        assertThat(graphGet(token, "/v1.0/users/" + bob.id() + "/contacts/delta").statusCode()).isEqualTo(200);
        sim.faults().clear();
        assertThat(graphGet(token, "/v1.0/users/" + ann.id() + "/contacts/delta").statusCode()).isEqualTo(200);
    }

    @Test
    void theControlApiTargetsAMailboxByUpnAndOtherFaultsApply() {
        HttpResponse<String> added = http.postJson(sim.baseUrl() + "/_sim/faults", "{\"method\":\"GET\","
                + "\"mailbox\":\"" + ann.userPrincipalName() + "\",\"kind\":\"THROTTLE\",\"retryAfter\":3,\"times\":1}");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        assertThat(TestHttp.json(added).get("mailbox")).extracting(JsonNode::asText).contains(ann.id());
        assertThat(graphGet(token, "/v1.0/users/" + ann.id() + "/contactFolders").statusCode()).isEqualTo(429);
        assertThat(graphGet(token, "/v1.0/users/" + ann.id() + "/contactFolders").statusCode()).isEqualTo(200);

        sim.faults().add(FaultRule.on("GET", "/contacts/delta").mailbox(bob.id()).serviceUnavailable(2));
        assertThat(graphGet(token, "/v1.0/users/" + bob.id() + "/contacts/delta").statusCode()).isEqualTo(503);
        sim.faults().add(FaultRule.on("GET", "/contacts/delta").mailbox(bob.id()).malformedJson());
        HttpResponse<String> malformed = graphGet(token, "/v1.0/users/" + bob.id() + "/contacts/delta");
        assertThat(malformed.statusCode()).isEqualTo(200);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Json.parse(malformed.body()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void contactsDeltaRequestsWorkInsideABatch() {
        contact(ann, null, "{\"displayName\":\"A1\"}");
        contact(bob, null, "{\"displayName\":\"B1\"}");
        contact(bob, null, "{\"displayName\":\"B2\"}");
        sim.faults().add(FaultRule.on("GET", "").mailbox(bob.id()).times(1).throttle(5));
        sim.requests().resetCounts();
        HttpResponse<String> r = BatchTest.batch(token, "{\"requests\":["
                + "{\"id\":\"1\",\"method\":\"GET\",\"url\":\"/users/" + ann.id() + "/contacts/delta\","
                + "\"headers\":{\"Prefer\":\"odata.maxpagesize=50\"}},"
                + "{\"id\":\"2\",\"method\":\"GET\",\"url\":\"/users/" + bob.id() + "/contacts/delta\"},"
                + "{\"id\":\"3\",\"method\":\"GET\",\"url\":\"/users/" + bob.userPrincipalName() + "/contacts/delta\"},"
                + "{\"id\":\"4\",\"method\":\"GET\",\"url\":\"/users/" + ann.id() + "/contactFolders/delta\"},"
                + "{\"id\":\"5\",\"method\":\"GET\",\"url\":\"/contacts/delta\"}]}");
        assertThat(r.statusCode()).isEqualTo(200);
        Map<String, JsonNode> steps = new HashMap<>();
        Json.parse(r.body()).path("responses").forEach(s -> steps.put(s.path("id").asText(), s));
        assertThat(steps.get("1").path("status").asInt()).isEqualTo(200);
        assertThat(steps.get("1").at("/body/value/0/displayName").asText()).isEqualTo("A1");
        assertThat(steps.get("1").at("/body/@odata.deltaLink").asText()).contains("$deltatoken=");
        assertThat(steps.get("2").path("status").asInt()).isEqualTo(429);
        assertThat(steps.get("2").at("/headers/Retry-After").asText()).isEqualTo("5");
        assertThat(steps.get("3").path("status").asInt()).isEqualTo(200);
        assertThat(steps.get("3").at("/body/value")).hasSize(2);
        assertThat(steps.get("4").at("/body/value/0/displayName").asText()).isEqualTo("Contacts");
        assertThat(steps.get("5").path("status").asInt()).isEqualTo(200);

        // a follow-up round through the batch with the delta link
        String link = steps.get("1").at("/body/@odata.deltaLink").asText();
        HttpResponse<String> again = BatchTest.batch(token, "{\"requests\":[{\"id\":\"1\",\"method\":\"GET\",\"url\":\""
                + link + "\"}]}");
        assertThat(Json.parse(again.body()).at("/responses/0/status").asInt()).isEqualTo(200);
        assertThat(Json.parse(again.body()).at("/responses/0/body/value")).isEmpty();

        assertThat(sim.requests().count("batch")).isEqualTo(2);
        assertThat(sim.requests().count("contacts.delta")).isEqualTo(4);
        assertThat(sim.requests().count("contactFolders.delta")).isEqualTo(1);
        assertThat(sim.requests().count("orgContacts.delta")).isEqualTo(1);
    }

    @Test
    void theControlApiManagesMailboxesFoldersContactsAndOrgContacts() {
        String t = sim.baseUrl() + "/_sim/tenants/" + fx.domain();
        HttpResponse<String> shared = http.postJson(t + "/sharedMailboxes",
                "{\"userPrincipalName\":\"desk@" + fx.domain() + "\",\"displayName\":\"Front desk\"}");
        assertThat(shared.statusCode()).as(shared.body()).isEqualTo(201);
        String m = t + "/mailboxes/desk@" + fx.domain();
        HttpResponse<String> folder = http.postJson(m + "/contactFolders", "{\"displayName\":\"Suppliers\"}");
        assertThat(folder.statusCode()).as(folder.body()).isEqualTo(201);
        String folderId = TestHttp.json(folder).get("id").asText();
        HttpResponse<String> created = http.postJson(m + "/contactFolders/" + folderId + "/contacts",
                "{\"displayName\":\"Pat Plumber\",\"businessPhones\":[\"0049 30 1234567\"]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String contactId = TestHttp.json(created).get("id").asText();
        assertThat(http.patchJson(m + "/contacts/" + contactId, "{\"mobilePhone\":\"ext. 12\"}").statusCode())
                .isEqualTo(200);
        HttpResponse<String> generated = http.postJson(m + "/contacts:generate", "{\"count\":30,\"folder\":\"Suppliers\"}");
        assertThat(TestHttp.json(generated).get("created").asInt()).isEqualTo(30);
        JsonNode listed = graphJson(token, "/v1.0/users/desk@" + fx.domain() + "/contactFolders/" + folderId
                + "/contacts?$top=100");
        assertThat(listed.get("value")).hasSize(31);
        assertThat(listed.get("value").get(0).get("mobilePhone").asText()).isEqualTo("ext. 12");
        assertThat(http.delete(m + "/contacts/" + contactId).statusCode()).isEqualTo(204);
        assertThat(http.postJson(m + "/contactFolders/" + folderId + "/delta:expire", "{}").statusCode()).isEqualTo(200);
        assertThat(http.postJson(t + "/mailboxes:generateContacts", "{\"users\":[\"" + ann.id() + "\"],\"perUser\":5}")
                .statusCode()).isEqualTo(200);
        assertThat(graphJson(token, "/v1.0/users/" + ann.id() + "/contacts").get("value")).hasSize(5);

        HttpResponse<String> org = http.postJson(t + "/contacts", "{\"displayName\":\"Service desk\","
                + "\"phones\":[{\"type\":\"business\",\"number\":\"(020) 7946 0958\"}]}");
        assertThat(org.statusCode()).as(org.body()).isEqualTo(201);
        String orgId = TestHttp.json(org).get("id").asText();
        assertThat(graphJson(token, "/v1.0/contacts/" + orgId).at("/phones/0/number").asText()).isEqualTo("(020) 7946 0958");
        assertThat(http.delete(t + "/contacts/" + orgId).statusCode()).isEqualTo(204);
        assertThat(graphGet(token, "/v1.0/contacts/" + orgId).statusCode()).isEqualTo(404);
        assertThat(TestHttp.json(http.get(sim.baseUrl() + "/_sim/requests/counts")).get("contacts").asLong()).isPositive();
    }
}
