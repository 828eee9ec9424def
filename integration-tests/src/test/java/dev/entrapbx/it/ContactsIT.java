package dev.entrapbx.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.entrapbx.harness.Browserless;
import dev.entrapbx.harness.Customer;
import dev.entrapbx.harness.EntraPbxStack;
import dev.entrapbx.harness.KeycloakAdminClient;
import dev.entrapbx.harness.PbxDirectoryClient;
import dev.entrapbx.harness.TestRealm;
import dev.entrapbx.simulator.contacts.ContactsStore;
import dev.entrapbx.simulator.contacts.Mailbox;
import dev.entrapbx.simulator.contacts.OutlookIds;
import dev.entrapbx.simulator.contacts.StoredContact;
import dev.entrapbx.simulator.fault.FaultRule;
import dev.entrapbx.simulator.model.User;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Contacts and caller ID: Outlook personal contacts, a shared mailbox's contacts as the company phone
 * book and the tenant's organizational contacts, synced from the simulator's Graph by the user sync,
 * read through {@code /realms/{realm}/pbx/phone-systems/{org}/contacts} and {@code .../lookup}.
 */
@ExtendWith(SharedStack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContactsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> PERMISSIONS = List.of("User.Read.All", "GroupMember.Read.All", "Domain.Read.All", "Contacts.Read",
            "OrgContact.Read.All");

    EntraPbxStack stack;
    KeycloakAdminClient admin;
    TestRealm realm;
    PbxDirectoryClient pbx;

    @BeforeAll
    void setUp(EntraPbxStack stack) {
        this.stack = stack;
        this.admin = stack.keycloak().admin();
        this.realm = TestRealm.create(admin, "contacts-it");
        this.pbx = PbxDirectoryClient.create(admin, stack.keycloak().baseUrl(), realm.name(), "contacts-backend", true, null);
    }

    @AfterEach
    void clearFaults() {
        stack.simulator().faults().clear();
    }

    /** A customer with ann and bob, a shared mailbox 'phonebook' and a sync reading all three sources (region GB). */
    private final class Fixture {
        final Customer f;
        final User ann;
        final User bob;
        final String phonebook;
        final String sync;

        Fixture(String name) {
            this(name, Map.of());
        }

        Fixture(String name, Map<String, String> extra) {
            f = Customer.in(stack, realm, name).permissions(PERMISSIONS).create();
            ann = f.entraUser("ann", Map.of("businessPhones", List.of("+44 20 7946 0100")));
            bob = f.entraUser("bob");
            phonebook = contacts().createSharedMailbox(f.tenantId(), "phonebook@" + f.domain(), "Company phone book", null).ownerId();
            Map<String, String> config = new HashMap<>(Map.of("extensionRange", "200-299", "phoneRegion", "GB", "contactsPersonal", "true",
                    "contactsSharedMailboxes", "phonebook@" + f.domain(), "contactsOrganizational", "true", "syncPhotos", "false"));
            config.putAll(extra);
            sync = f.createSync(name + "-sync", config);
        }

        String contact(User mailbox, String displayName, String company, String... businessPhones) {
            return contact(mailbox.id(), displayName, company, businessPhones);
        }

        String contact(String mailboxId, String displayName, String company, String... businessPhones) {
            StoredContact c = contacts().createContact(f.tenantId(), mailboxId, null, node(Map.of("displayName", displayName,
                    "companyName", company, "businessPhones", List.of(businessPhones))));
            return OutlookIds.encode(contacts().mailbox(f.tenantId(), mailboxId).owner(), OutlookIds.Kind.CONTACT, c.seq());
        }

        String orgContact(String displayName, String number) {
            return contacts().createOrgContact(f.tenantId(), node(Map.of("displayName", displayName, "companyName", "Partner Ltd",
                    "phones", List.of(Map.of("type", "business", "number", number))))).id();
        }

        /** A sync, then its run in the run log (status, counts, message, problems). */
        JsonNode run(boolean full) {
            f.sync(sync, full);
            return f.lastRun(sync);
        }

        List<JsonNode> list(String query) {
            return items(pbx.get("phone-systems/" + f.orgAlias() + "/contacts?" + query).expect(200).json());
        }

        KeycloakAdminClient.Response lookup(String number, String callee, String token) {
            return pbx.get("phone-systems/" + f.orgAlias() + "/lookup?number=" + Browserless.enc(number)
                    + (callee == null ? "" : "&user=" + callee), token == null ? pbx.token() : token);
        }

        String userId(User u) {
            return f.members().get(u.userPrincipalName().toLowerCase(java.util.Locale.ROOT)).path("id").asText();
        }
    }

    private ContactsStore contacts() {
        return stack.simulator().contacts();
    }

    private static JsonNode node(Object value) {
        return JSON.valueToTree(value);
    }

    private static List<JsonNode> items(JsonNode page) {
        List<JsonNode> out = new ArrayList<>();
        page.path("items").forEach(out::add);
        return out;
    }

    private static Map<String, JsonNode> byName(List<JsonNode> items) {
        Map<String, JsonNode> out = new HashMap<>();
        items.forEach(i -> out.put(i.path("displayName").asText(), i));
        return out;
    }

    @Test
    void personalSharedAndOrganizationalContactsAreSyncedWithTheirNumbersInE164() {
        Fixture x = new Fixture("contacts-sync");
        x.contact(x.phonebook, "Acme Front Desk", "Acme", "(020) 7946 0958");
        x.contact(x.phonebook, "Globex Support", "Globex", "+1 425 555 0100", "ext. 12");
        x.contact(x.ann, "Ann's Plumber", "Pipes & Co", "0049 30 1234567");
        x.orgContact("Initech Sales", "020 7946 0777");

        stack.simulator().requests().resetCounts();
        JsonNode run = x.run(true);
        assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("SUCCESS");
        // three mailboxes (ann, bob, the shared one), one page each: one JSON batch of three steps
        assertThat(stack.simulator().requests().count("batch")).as(stack.simulator().requests().counts().toString()).isEqualTo(1);
        assertThat(stack.simulator().requests().count("contacts.delta")).isEqualTo(3);
        assertThat(stack.simulator().requests().count("orgContacts.delta")).isEqualTo(1);

        Map<String, JsonNode> company = byName(x.list("scope=company"));
        assertThat(company).containsOnlyKeys("Acme Front Desk", "Globex Support");
        JsonNode acme = company.get("Acme Front Desk");
        assertThat(acme.path("source").asText()).isEqualTo("company");
        assertThat(acme.path("owner").isNull()).isTrue();
        assertThat(acme.path("companyName").asText()).isEqualTo("Acme");
        assertThat(acme.path("phones").get(0).path("number").asText()).isEqualTo("(020) 7946 0958");
        assertThat(acme.path("phones").get(0).path("e164").asText()).isEqualTo("+442079460958");
        JsonNode globex = company.get("Globex Support").path("phones");
        assertThat(globex.get(0).path("e164").asText()).isEqualTo("+14255550100");
        assertThat(globex.get(1).path("number").asText()).isEqualTo("ext. 12");
        assertThat(globex.get(1).path("e164").isNull()).as("not a number: kept as written, no E.164").isTrue();

        assertThat(byName(x.list("scope=organization"))).containsOnlyKeys("Initech Sales");
        assertThat(byName(x.list("scope=organization")).get("Initech Sales").path("phones").get(0).path("e164").asText())
                .isEqualTo("+442079460777");

        String annId = x.userId(x.ann);
        Map<String, JsonNode> personal = byName(x.list("scope=personal&user=" + annId));
        assertThat(personal).containsOnlyKeys("Ann's Plumber");
        assertThat(personal.get("Ann's Plumber").path("owner").asText()).isEqualTo(annId);
        assertThat(personal.get("Ann's Plumber").path("phones").get(0).path("e164").asText()).isEqualTo("+49301234567");
        assertThat(x.list("scope=personal&user=" + x.userId(x.bob))).isEmpty();

        // the number that is no number is in the run log, by name
        assertThat(run.path("problems").toString()).contains("ext. 12").contains("Globex Support");
    }

    @Test
    void editedAndDeletedContactsFollowAndAnExpiredDeltaLinkReadsTheFolderAgain() {
        Fixture x = new Fixture("contacts-edit");
        String acme = x.contact(x.phonebook, "Acme Front Desk", "Acme", "+44 20 7946 0958");
        String globex = x.contact(x.phonebook, "Globex Support", "Globex", "+1 425 555 0100");
        String initech = x.orgContact("Initech Sales", "+44 20 7946 0777");
        x.f.sync(x.sync, true);
        String cursor = pbx.get("phone-systems/" + x.f.orgAlias()).expect(200).json().path("changesCursor").asText();

        contacts().patchContact(x.f.tenantId(), x.phonebook, acme, node(Map.of("displayName", "Acme Reception")));
        contacts().deleteContact(x.f.tenantId(), x.phonebook, globex);
        contacts().deleteOrgContact(x.f.tenantId(), initech);
        JsonNode run = x.run(false);
        assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("SUCCESS");
        assertThat(byName(x.list("scope=company"))).containsOnlyKeys("Acme Reception");
        assertThat(x.list("scope=organization")).isEmpty();
        assertThat(x.lookup("+1 425 555 0100", null, null).status()).isEqualTo(404);
        // the change feed (and so the webhooks) carry exactly these three contact changes
        List<JsonNode> feed = pbx.changesAfter(x.f.orgAlias(), cursor, 100, null);
        assertThat(feed).extracting(c -> c.path("type").asText() + " " + c.path("contact").path("source").asText() + " "
                        + c.path("contact").path("displayName").asText(null))
                .containsExactlyInAnyOrder("contact.updated company Acme Reception", "contact.removed company null",
                        "contact.removed organization null");
        assertThat(feed).allSatisfy(c -> assertThat(c.path("contactId").asText()).isEqualTo(c.path("contact").path("id").asText()));

        // Outlook forgets the folder's sync state: the next run reads it in full, and what it did not see is removed
        String hooli = x.contact(x.phonebook, "Hooli Desk", "Hooli", "+1 650 555 0199");
        contacts().deleteContact(x.f.tenantId(), x.phonebook, acme);
        contacts().expireMailboxDelta(x.f.tenantId(), x.phonebook);
        run = x.run(false);
        assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("SUCCESS");
        assertThat(byName(x.list("scope=company"))).containsOnlyKeys("Hooli Desk");
        assertThat(hooli).isNotBlank();
    }

    @Test
    void personalContactsAreSeenOnlyByTheirOwnerAndTheDirectoryRole() {
        Fixture x = new Fixture("contacts-private");
        x.contact(x.ann, "Ann's Dentist", "Smile", "+44 20 7946 0300");
        x.contact(x.bob, "Bob's Garage", "Cars", "+44 20 7946 0400");
        x.f.sync(x.sync, true);
        String annId = x.userId(x.ann);
        String bobId = x.userId(x.bob);
        // the feed flags a personal contact with its owner
        List<JsonNode> feed = pbx.changesAfter(x.f.orgAlias(), "0", 1000, null);
        assertThat(feed).filteredOn(c -> c.path("type").asText().equals("contact.added"))
                .extracting(c -> c.path("contact").path("displayName").asText() + " " + c.path("contact").path("owner").asText())
                .containsExactlyInAnyOrder("Ann's Dentist " + annId, "Bob's Garage " + bobId);

        String annToken = x.f.signInThroughMicrosoft(x.ann.userPrincipalName()).path("access_token").asText();
        String base = "phone-systems/" + x.f.orgAlias() + "/contacts?scope=personal";
        JsonNode own = pbx.get(base, annToken).expect(200).json();
        assertThat(byName(items(own))).containsOnlyKeys("Ann's Dentist");
        assertThat(byName(items(pbx.get(base + "&user=" + annId, annToken).expect(200).json()))).containsOnlyKeys("Ann's Dentist");
        // another user's personal contacts do not exist for ann, exactly like an unknown user's
        KeycloakAdminClient.Response other = pbx.get(base + "&user=" + bobId, annToken);
        KeycloakAdminClient.Response unknown = pbx.get(base + "&user=00000000-0000-0000-0000-000000000000", annToken);
        assertThat(other.status()).isEqualTo(404);
        assertThat(other.body()).isEqualTo(unknown.body());
        // the company phone book is hers to read too; bob's contacts do not answer her lookups
        assertThat(pbx.get("phone-systems/" + x.f.orgAlias() + "/contacts?scope=company", annToken).status()).isEqualTo(200);
        assertThat(x.lookup("+44 20 7946 0400", null, annToken).status()).isEqualTo(404);
        assertThat(x.lookup("+44 20 7946 0400", bobId, annToken).status()).isEqualTo(404);
        assertThat(x.lookup("+44 20 7946 0300", null, annToken).json().path("displayName").asText()).isEqualTo("Ann's Dentist");
        // the directory role reads anyone's
        assertThat(byName(x.list("scope=personal&user=" + bobId))).containsOnlyKeys("Bob's Garage");
        // a member of another phone system is refused, as for a phone system that does not exist
        Fixture y = new Fixture("contacts-private-other");
        assertThat(pbx.get("phone-systems/" + y.f.orgAlias() + "/contacts?scope=company", annToken).status()).isEqualTo(403);
        assertThat(pbx.get("phone-systems/no-such-org/contacts?scope=company", annToken).status()).isEqualTo(403);
    }

    @Test
    void lookupAnswersTheMemberThenTheCalleesContactThenTheCompanyThenTheOrganization() {
        Fixture x = new Fixture("contacts-lookup");
        // one number in all three contact sources
        x.contact(x.ann, "Ann's Brother", "Family", "+44 20 7946 0500");
        x.contact(x.phonebook, "Northwind Switchboard", "Northwind", "020 7946 0500");
        x.orgContact("Northwind (org)", "+442079460500");
        // a number only the organization knows, one a member has
        x.orgContact("Contoso Legal", "+44 20 7946 0600");
        x.contact(x.phonebook, "Ann impostor", "Nobody", "+44 20 7946 0100"); // ann's own business phone
        JsonNode run = x.run(true);
        assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("SUCCESS");
        String annId = x.userId(x.ann);
        String bobId = x.userId(x.bob);

        JsonNode forAnn = x.lookup("+442079460500", annId, null).expect(200).json();
        assertThat(forAnn.path("source").asText()).isEqualTo("personal");
        assertThat(forAnn.path("displayName").asText()).isEqualTo("Ann's Brother");
        JsonNode forBob = x.lookup("+442079460500", bobId, null).expect(200).json();
        assertThat(forBob.path("source").asText()).isEqualTo("company");
        assertThat(forBob.path("displayName").asText()).isEqualTo("Northwind Switchboard");
        assertThat(forBob.path("company").asText()).isEqualTo("Northwind");
        // national format, read with the phone system's region (GB)
        JsonNode national = x.lookup("020 7946 0600", bobId, null).expect(200).json();
        assertThat(national.path("source").asText()).isEqualTo("organization");
        assertThat(national.path("e164").asText()).isEqualTo("+442079460600");
        // a member's own number beats every contact; so does the member's extension
        JsonNode member = x.lookup("02079460100", bobId, null).expect(200).json();
        assertThat(member.path("source").asText()).isEqualTo("user");
        assertThat(member.path("userId").asText()).isEqualTo(annId);
        String extension = x.f.members().get(x.ann.userPrincipalName().toLowerCase(java.util.Locale.ROOT)).path("attributes").path("extension").get(0).asText();
        JsonNode byExtension = x.lookup(extension, bobId, null).expect(200).json();
        assertThat(byExtension.path("source").asText()).isEqualTo("user");
        assertThat(byExtension.path("extension").asText()).isEqualTo(extension);
        // unknown
        KeycloakAdminClient.Response none = x.lookup("+1 212 555 0000", bobId, null);
        assertThat(none.status()).isEqualTo(404);
        assertThat(none.json().path("error").asText()).isEqualTo("not_found");
        assertThat(x.lookup("not a number", bobId, null).status()).isEqualTo(400);
    }

    @Test
    void aThrottledMailboxIsRecordedAndKeepsItsContactsWhileTheOthersGoOn() {
        Fixture x = new Fixture("contacts-throttle");
        x.contact(x.ann, "Ann's Plumber", "Pipes", "+44 20 7946 0700");
        x.contact(x.phonebook, "Acme", "Acme", "+44 20 7946 0701");
        x.f.sync(x.sync, true);

        x.contact(x.ann, "Ann's Electrician", "Sparks", "+44 20 7946 0702");
        x.contact(x.bob, "Bob's Baker", "Bread", "+44 20 7946 0703");
        x.contact(x.phonebook, "Globex", "Globex", "+44 20 7946 0704");
        Mailbox annBox = contacts().mailbox(x.f.tenantId(), x.ann.id());
        stack.simulator().faults().add(FaultRule.on("GET", "").mailbox(x.ann.id(), x.ann.userPrincipalName()).untilCleared().throttle(1));
        JsonNode run = x.run(false);

        assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("PARTIAL");
        assertThat(run.path("problems").toString()).contains(x.ann.id()).contains("429");
        assertThat(byName(x.list("scope=personal&user=" + x.userId(x.ann)))).as("kept, not deleted").containsOnlyKeys("Ann's Plumber");
        assertThat(byName(x.list("scope=personal&user=" + x.userId(x.bob)))).containsOnlyKeys("Bob's Baker");
        assertThat(byName(x.list("scope=company"))).containsOnlyKeys("Acme", "Globex");
        assertThat(annBox.ownerId()).isEqualTo(x.ann.id());

        stack.simulator().faults().clear();
        run = x.run(false);
        assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("SUCCESS");
        assertThat(byName(x.list("scope=personal&user=" + x.userId(x.ann)))).containsOnlyKeys("Ann's Plumber", "Ann's Electrician");
    }

    @Test
    void allFoldersReadsNestedFoldersAndAFolderDeletedInOutlookTakesItsContacts() {
        Fixture x = new Fixture("contacts-folders", Map.of("contactsFolders", "all"));
        Mailbox box = contacts().mailbox(x.f.tenantId(), x.ann.id());
        String suppliers = box.folderId(contacts().createFolder(x.f.tenantId(), x.ann.id(), "Suppliers", null).seq());
        String plumbers = box.folderId(contacts().createFolder(x.f.tenantId(), x.ann.id(), "Plumbers", suppliers).seq());
        x.contact(x.ann, "Ann's Sister", "Family", "+44 20 7946 0800");
        contacts().createContact(x.f.tenantId(), x.ann.id(), suppliers, node(Map.of("displayName", "Paper Supplies",
                "businessPhones", List.of("+44 20 7946 0801"))));
        contacts().createContact(x.f.tenantId(), x.ann.id(), plumbers, node(Map.of("displayName", "Pipes Ltd",
                "businessPhones", List.of("+44 20 7946 0802"))));
        JsonNode run = x.run(true);
        assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("SUCCESS");
        String annId = x.userId(x.ann);
        assertThat(byName(x.list("scope=personal&user=" + annId))).containsOnlyKeys("Ann's Sister", "Paper Supplies", "Pipes Ltd");

        contacts().deleteFolder(x.f.tenantId(), x.ann.id(), plumbers);
        run = x.run(false);
        assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("SUCCESS");
        assertThat(byName(x.list("scope=personal&user=" + annId))).containsOnlyKeys("Ann's Sister", "Paper Supplies");
    }

    @Test
    void membersNumbersWrittenNationallyFollowThePhoneSystemsRegion() {
        Fixture x = new Fixture("contacts-region");
        User cat = x.f.entraUser("cat", Map.of("businessPhones", List.of("020 7946 0200")));
        x.run(true);
        String catId = x.userId(cat);
        assertThat(x.lookup("+442079460200", null, null).expect(200).json().path("userId").asText()).isEqualTo(catId);

        // the same text is another number in Germany: the index follows the region at the next sync
        JsonNode component = admin.get("/" + realm.name() + "/components/" + x.sync);
        ((com.fasterxml.jackson.databind.node.ObjectNode) component.path("config")).set("phoneRegion", node(List.of("DE")));
        admin.send("PUT", "/" + realm.name() + "/components/" + x.sync, component).expect(204);
        x.run(false);
        assertThat(x.lookup("+442079460200", null, null).status()).isEqualTo(404);
        assertThat(x.lookup("+49 20 79460200", null, null).expect(200).json().path("userId").asText()).isEqualTo(catId);
    }

    @Test
    void settingsAreCheckedWhenSaved() {
        Customer f = Customer.in(stack, realm, "contacts-save").permissions(PERMISSIONS).create();
        KeycloakAdminClient.Response noRegion = f.tryCreateSync("contacts-save-a", Map.of("contactsOrganizational", "true"));
        assertThat(noRegion.status()).isEqualTo(400);
        assertThat(noRegion.body()).contains("region");
        KeycloakAdminClient.Response badRegion = f.tryCreateSync("contacts-save-b", Map.of("contactsOrganizational", "true", "phoneRegion", "UK"));
        assertThat(badRegion.status()).isEqualTo(400);
        assertThat(badRegion.body()).contains("'UK'");
        KeycloakAdminClient.Response unknownMailbox = f.tryCreateSync("contacts-save-c", Map.of("phoneRegion", "GB",
                "contactsSharedMailboxes", "nobody@" + f.domain()));
        assertThat(unknownMailbox.status()).isEqualTo(400);
        assertThat(unknownMailbox.body()).contains("nobody@" + f.domain()).contains("not a mailbox of this tenant");
        KeycloakAdminClient.Response notAnAddress = f.tryCreateSync("contacts-save-d", Map.of("phoneRegion", "GB",
                "contactsSharedMailboxes", "front desk"));
        assertThat(notAnAddress.status()).isEqualTo(400);
        assertThat(notAnAddress.body()).contains("neither an email address nor an object id");
    }
}
