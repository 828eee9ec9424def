package dev.entrapbx.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.entrapbx.harness.Customer;
import dev.entrapbx.harness.Database;
import dev.entrapbx.harness.EntraPbxStack;
import dev.entrapbx.harness.KeycloakAdminClient;
import dev.entrapbx.harness.PbxDirectoryClient;
import dev.entrapbx.harness.TestRealm;
import dev.entrapbx.simulator.contacts.ContactsStore;
import dev.entrapbx.simulator.contacts.Mailbox;
import dev.entrapbx.simulator.contacts.OutlookIds;
import dev.entrapbx.simulator.contacts.StoredContact;
import dev.entrapbx.simulator.model.User;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.Function;

/**
 * Contacts and caller ID, in one run on one Keycloak, each measure beside its anchor:
 *
 * <ol>
 * <li><b>First contacts sync</b>: a phone system of U users (default 1,000), each with
 *     {@code -DcontactsPerUser} (200) Outlook contacts generated in the simulator, and a shared mailbox
 *     with {@code -DcompanyContacts} (5,000) contacts as the company phone book (region GB, personal and
 *     shared-mailbox contacts on, organizational off). Its full sync is timed from the admin REST call to
 *     its answer, against the <b>anchor</b>: the same full sync of the same users in a second tenant and
 *     realm without contact settings, run first. The difference is the contacts stage's time, the quotient
 *     its cost relative to the user sync. For both: the Graph requests by kind (simulator counters, reset
 *     before each sync), the run log's message; for the contacts sync the contacts stored (SQL count).
 *     Then 100 contacts are edited in Outlook and a changed sync runs (time, Graph requests), beside a
 *     changed sync without changes of the realm without contacts.</li>
 * <li><b>Caller-ID lookup with {@code -DlookupContacts} (1,000,000) contacts in the realm</b>: the synced
 *     contacts plus generated rows written straight into {@code ENTRAPBX_CONTACT} and
 *     {@code ENTRAPBX_CONTACT_PHONE} (JDBC batches, 50 further Organization ids of the realm, E.164 numbers
 *     of GB, DE, US and FR written the way people type them, DATA as the sync writes it), then
 *     {@code ANALYZE}. {@code -Dlookups} (2,000) numbers, about 80% known to the phone system, half as E.164
 *     and half as a UK PBX presents them ({@code 020...}, {@code 0049...}), each with a random member as
 *     callee: {@code GET /realms/{r}/pbx/phone-systems/{org}/lookup} (HTTP round trip on loopback, a
 *     service-account token with pbx-directory/read) after a warm-up, and the lookup's SQL
 *     ({@code ContactsApi.contact()}: phones by {@code ORG_ID + E164} joined with their contacts) over JDBC
 *     (goal: p95 &lt; 5 ms). <b>Anchor</b>: what a PBX integration without normalised numbers does, on the
 *     same rows, same numbers, same JDBC connection: {@code DATA LIKE '%<number as received>%'} over the
 *     phone system's contacts, and a suffix match on the numbers' digits
 *     ({@code DIGITS LIKE '%<last 9 digits>'}), each within {@code -DanchorBudgetSeconds} (120).</li>
 * </ol>
 *
 * <p>Usage: {@code java [-DcontactsPerUser=200] [-DcompanyContacts=5000] [-DlookupContacts=1000000] [-Dlookups=2000]
 * -cp benchmarks/target/entra-pbx-benchmarks.jar dev.entrapbx.bench.ContactsBenchmark [users, default 1000] [--db postgres|h2]}.
 * Photos are off in both syncs (they are measured by {@link SyncBenchmark}). PostgreSQL only: {@code --db h2} is refused, since the
 * benchmark counts, fills and queries the contact tables over JDBC while Keycloak runs. Results: target/benchmarks/contacts.md.
 */
public final class ContactsBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EDITS = 100;
    private static final int OTHER_ORGS = 50;
    private static final int WARM_UP = 300;
    private static final List<String> PERMISSIONS = List.of("User.Read.All", "GroupMember.Read.All", "Domain.Read.All", "Contacts.Read");
    private static final List<String> CONTACT_TABLES = List.of("entrapbx_contact", "entrapbx_contact_phone", "entrapbx_contact_folder");

    private ContactsBenchmark() {
    }

    /** A timed sync: wall time, the run log's newest run, Graph requests by kind. */
    record SyncRun(long millis, JsonNode result, JsonNode run, Map<String, Long> graph) {
        long graphTotal() {
            return graph.entrySet().stream().filter(e -> !e.getKey().equals("login")).mapToLong(Map.Entry::getValue).sum();
        }
    }

    /** Median, p95, max (ms) of a series in microseconds, and how many of them found something. */
    record Stats(int n, double p50, double p95, double max, int found) {
        static Stats of(long[] micros, int count, int found) {
            long[] v = Arrays.copyOf(micros, count);
            Arrays.sort(v);
            return new Stats(count, v[count / 2] / 1000.0, v[(int) Math.ceil(count * 0.95) - 1] / 1000.0, v[count - 1] / 1000.0, found);
        }
    }

    /** One number as the PBX gets it, its E.164 form, and the member it calls. */
    record Lookup(String asReceived, String e164, String callee, boolean known) {
    }

    public static void main(String[] args) throws Exception {
        int users = 1000;
        String db = "postgres";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--db" -> db = args[++i];
                default -> users = Integer.parseInt(args[i]);
            }
        }
        int perUser = Integer.getInteger("contactsPerUser", 200);
        int company = Integer.getInteger("companyContacts", 5000);
        int lookupContacts = Integer.getInteger("lookupContacts", 1_000_000);
        int lookups = Integer.getInteger("lookups", 2000);
        long anchorBudget = Long.getLong("anchorBudgetSeconds", 120);
        Database database = Database.fromName(db, System.getProperty("entrapbx.db.url", "jdbc:postgresql://127.0.0.1:5432/postgres"),
                System.getProperty("entrapbx.db.user", "postgres"), System.getProperty("entrapbx.db.password", ""));
        EntraPbxStack.Config config = EntraPbxStack.config().name("bench-contacts").ephemeralPorts().freshData(true)
                .database(database).seedDemo(false);
        if (database.kind() == Database.Kind.H2) {
            // the benchmark reads and fills the contact tables over JDBC while Keycloak runs: H2's file is Keycloak's alone
            // (AUTO_SERVER=TRUE is refused beside Keycloak's DB_CLOSE_ON_EXIT=FALSE)
            System.err.println("ContactsBenchmark needs PostgreSQL (--db postgres): it counts, fills and queries the contact tables over JDBC.");
            System.exit(2);
        }
        try (EntraPbxStack stack = EntraPbxStack.start(config)) {
            startAnalyzer(database, stack.schema());
            ContactsStore sim = stack.simulator().contacts();

            // --- 1. first contacts sync against the same full sync without contacts
            Setup plain = Setup.create(stack, "bench-plain", users, false, 0, 0);
            Setup withContacts = Setup.create(stack, "bench-contacts", users, true, perUser, company);

            SyncRun plainFull = plain.sync(stack, true);
            System.out.printf("[contacts-bench] full sync without contacts: %d ms, %s; Graph %s%n", plainFull.millis(), plainFull.result(),
                    plainFull.graph());
            SyncRun contactsFull = withContacts.sync(stack, true);
            System.out.printf("[contacts-bench] full sync with contacts: %d ms, %s; Graph %s%n  run log: %s%n", contactsFull.millis(),
                    contactsFull.result(), contactsFull.graph(), contactsFull.run().path("message").asText());

            String schema = database.kind() == Database.Kind.POSTGRES ? stack.schema() + "." : "";
            String realmId;
            long stored;
            try (Connection c = connect(stack)) {
                realmId = one(c, "SELECT REALM_ID FROM " + schema + "ENTRAPBX_CONTACT WHERE ORG_ID = ?", withContacts.customer.orgId());
                stored = Long.parseLong(one(c, "SELECT COUNT(*) FROM " + schema + "ENTRAPBX_CONTACT WHERE ORG_ID = ?", withContacts.customer.orgId()));
            }
            System.out.printf("[contacts-bench] contacts stored for the phone system: %,d%n", stored);

            withContacts.edit(sim, EDITS);
            SyncRun contactsChanged = withContacts.sync(stack, false);
            SyncRun plainChanged = plain.sync(stack, false);
            System.out.printf("[contacts-bench] changed sync, %d contacts edited: %d ms, Graph %s; run log: %s%n"
                            + "  changed sync without contacts, nothing changed: %d ms, Graph %s%n", EDITS, contactsChanged.millis(),
                    contactsChanged.graph(), contactsChanged.run().path("message").asText(), plainChanged.millis(), plainChanged.graph());

            // --- 2. caller-ID lookup in a realm of lookupContacts contacts
            String org = withContacts.customer.orgAlias();
            String orgId = withContacts.customer.orgId();
            Lookups result;
            try (Connection c = connect(stack)) {
                long inRealm = Long.parseLong(one(c, "SELECT COUNT(*) FROM " + schema + "ENTRAPBX_CONTACT WHERE REALM_ID = ?", realmId));
                long t0 = System.nanoTime();
                long added = fill(c, schema, realmId, lookupContacts - inRealm);
                long fillMs = (System.nanoTime() - t0) / 1_000_000;
                analyze(c, database, schema);
                long total = Long.parseLong(one(c, "SELECT COUNT(*) FROM " + schema + "ENTRAPBX_CONTACT WHERE REALM_ID = ?", realmId));
                long phones = Long.parseLong(one(c, "SELECT COUNT(*) FROM " + schema + "ENTRAPBX_CONTACT_PHONE"));
                System.out.printf("[contacts-bench] %,d contacts generated in %,d ms; the realm has %,d contacts, the table %,d numbers%n",
                        added, fillMs, total, phones);

                List<Lookup> numbers = numbers(c, schema, orgId, lookups);
                PbxDirectoryClient pbx = PbxDirectoryClient.create(stack.keycloak().admin(), stack.keycloak().baseUrl(),
                        withContacts.customer.realm().name(), "bench-pbx", true, null);
                Stats http = http(pbx, org, numbers);
                System.out.printf("[contacts-bench] lookup over HTTP: %s%n", http);
                Stats floor = http(pbx, numbers, l -> "phone-systems/" + org);
                System.out.printf("[contacts-bench] GET phone-systems/{org} over HTTP (for scale): %s%n", floor);
                Stats sql = ours(c, schema, orgId, numbers);
                System.out.printf("[contacts-bench] lookup SQL over JDBC: %s%n", sql);
                Stats likeData = anchor(c, numbers, anchorBudget, "SELECT ID, SOURCE, OWNER_ID, DISPLAY_NAME, COMPANY FROM " + schema
                        + "ENTRAPBX_CONTACT WHERE ORG_ID = ? AND DATA LIKE ? AND (OWNER_ID IS NULL OR OWNER_ID = ?)", orgId,
                        l -> "%" + l.asReceived() + "%");
                System.out.printf("[contacts-bench] anchor DATA LIKE: %s%n", likeData);
                Stats likeDigits = anchor(c, numbers, anchorBudget, "SELECT c.ID, c.SOURCE, c.OWNER_ID, c.DISPLAY_NAME, c.COMPANY FROM "
                        + schema + "ENTRAPBX_CONTACT_PHONE p JOIN " + schema + "ENTRAPBX_CONTACT c ON c.ID = p.CONTACT_ID"
                        + " WHERE p.ORG_ID = ? AND p.DIGITS LIKE ? AND (p.OWNER_ID IS NULL OR p.OWNER_ID = ?)", orgId,
                        l -> "%" + last(digits(l.e164()), 9));
                System.out.printf("[contacts-bench] anchor DIGITS LIKE suffix: %s%n", likeDigits);
                String plans = database.kind() == Database.Kind.POSTGRES ? plans(c, schema, orgId, numbers) : "";
                System.out.println(plans);
                result = new Lookups(total, phones, added, fillMs, http, floor, sql, likeData, likeDigits, plans);
            }
            report(users, perUser, company, database.toString(), stack.settings().keycloakVersion(), stored, plainFull, contactsFull,
                    contactsChanged, plainChanged, result);
        }
    }

    record Lookups(long contacts, long phones, long generated, long fillMs, Stats http, Stats floor, Stats sql, Stats likeData, Stats likeDigits,
                   String plans) {
    }

    // ------------------------------------------------------------------ the customers

    /** One customer (tenant, app, IdP, Organization) in a realm of its own, with users, maybe contacts, and a sync component. */
    record Setup(Customer customer, String componentId, String phonebookId) {

        static Setup create(EntraPbxStack stack, String name, int users, boolean contacts, int perUser, int company) {
            TestRealm realm = TestRealm.create(stack.keycloak().admin(), name);
            Customer c = Customer.in(stack, realm, name).permissions(PERMISSIONS).create();
            c.directory().generateUsers(c.tenantId(), users, c.domain(), "u");
            ContactsStore sim = stack.simulator().contacts();
            if (contacts) {
                ContactsStore.Generated g = sim.generate(c.tenantId(), null, perUser, null, 42);
                System.out.printf("[contacts-bench] %s: %,d contacts in %,d mailboxes generated in %d ms%n", name, g.contacts(), g.mailboxes(),
                        g.elapsed().toMillis());
            }
            // a shared mailbox in both tenants, so that both have the same users (it is a disabled user: not synced)
            String phonebook = "phonebook@" + c.domain();
            String phonebookId = sim.createSharedMailbox(c.tenantId(), phonebook, "Company phone book", null).ownerId();
            Map<String, String> cfg = new LinkedHashMap<>(Map.of("extensionRange", "100000-999999", "guardMaxUsers", "0", "guardMaxPercent", "0",
                    "syncPhotos", "false"));
            if (contacts) {
                ContactsStore.Generated g = sim.generateInMailbox(c.tenantId(), phonebookId, company, null, 43);
                System.out.printf("[contacts-bench] %s: %,d company contacts generated%n", name, g.contacts());
                cfg.putAll(Map.of("phoneRegion", "GB", "contactsPersonal", "true", "contactsSharedMailboxes", phonebook,
                        "contactsOrganizational", "false"));
            }
            return new Setup(c, c.createSync(name + "-sync", cfg), phonebookId);
        }

        /** A full or changed sync through the admin REST call, timed; Graph requests counted from a reset just before. */
        SyncRun sync(EntraPbxStack stack, boolean full) throws InterruptedException {
            stack.simulator().requests().resetCounts();
            long t0 = System.nanoTime();
            KeycloakAdminClient.Response r = customer.trySync(componentId, full, Duration.ofHours(2));
            JsonNode result = r.status() == 200 ? r.json() : null;
            if (result == null) {
                // past Keycloak's transaction timeout the REST call answers an error while the run goes on: the run log has its end
                while ("RUNNING".equals(customer.runs(componentId, 1).path(0).path("status").asText())) {
                    Thread.sleep(1000); // polling the run log for the end of the run
                }
                System.out.printf("[contacts-bench] the REST call answered %d; timed to the end of the run%n", r.status());
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            Map<String, Long> graph = stack.simulator().requests().counts();
            JsonNode run = customer.runs(componentId, 1).path(0);
            return new SyncRun(ms, result == null ? run : result, run, graph);
        }

        /** Edits {@code count} contacts in Outlook: a new name and business phone, one contact in each of that many mailboxes (a tenth in the phone book). */
        void edit(ContactsStore sim, int count) {
            List<String> boxes = new ArrayList<>();
            for (User u : customer.directory().users(customer.tenantId())) {
                if (u.accountEnabled() && !u.id().equals(phonebookId)) {
                    boxes.add(u.id());
                }
            }
            SplittableRandom random = new SplittableRandom(7);
            int fromPhonebook = Math.max(1, count / 10);
            int step = Math.max(1, boxes.size() / (count - fromPhonebook));
            List<String> targets = new ArrayList<>();
            for (int i = 0; i < boxes.size() && targets.size() < count - fromPhonebook; i += step) {
                targets.add(boxes.get(i));
            }
            while (targets.size() < count) {
                targets.add(phonebookId);
            }
            Set<Long> taken = new HashSet<>();
            for (String box : targets) {
                Mailbox m = sim.mailbox(customer.tenantId(), box);
                List<StoredContact> all = m.read(x -> new ArrayList<>(x.folder(Mailbox.DEFAULT_FOLDER).orElseThrow().contacts().values()));
                StoredContact pick = all.get(random.nextInt(all.size()));
                while (box.equals(phonebookId) && !taken.add(pick.seq())) {
                    pick = all.get(random.nextInt(all.size()));
                }
                String id = OutlookIds.encode(m.owner(), OutlookIds.Kind.CONTACT, pick.seq());
                sim.patchContact(customer.tenantId(), box, id, JSON.valueToTree(Map.of("displayName", "Edited " + pick.fields().displayName(),
                        "businessPhones", List.of(String.format(Locale.ROOT, "+44 20 7946 %04d", random.nextInt(10_000))))));
            }
        }
    }

    // ------------------------------------------------------------------ the realm's contact tables

    /** Writes {@code count} generated contacts (and their numbers) of 50 further Organization ids of the realm, in JDBC batches. */
    static long fill(Connection c, String schema, String realmId, long count) throws SQLException {
        if (count <= 0) {
            return 0;
        }
        SplittableRandom random = new SplittableRandom(2026);
        String[] orgs = new String[OTHER_ORGS];
        String[] components = new String[OTHER_ORGS];
        String[][] owners = new String[OTHER_ORGS][];
        for (int o = 0; o < OTHER_ORGS; o++) {
            orgs[o] = UUID.nameUUIDFromBytes(("org-" + o).getBytes(StandardCharsets.UTF_8)).toString();
            components[o] = UUID.nameUUIDFromBytes(("component-" + o).getBytes(StandardCharsets.UTF_8)).toString();
            owners[o] = new String[200];
            for (int u = 0; u < owners[o].length; u++) {
                owners[o][u] = UUID.nameUUIDFromBytes(("owner-" + o + "-" + u).getBytes(StandardCharsets.UTF_8)).toString();
            }
        }
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        long now = System.currentTimeMillis();
        try (PreparedStatement contact = c.prepareStatement("INSERT INTO " + schema + "ENTRAPBX_CONTACT (ID, REALM_ID, ORG_ID, COMPONENT_ID,"
                + " SOURCE, OWNER_ID, MAILBOX, FOLDER_ID, GRAPH_ID, DISPLAY_NAME, COMPANY, DATA, UPDATED_AT) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement phone = c.prepareStatement("INSERT INTO " + schema + "ENTRAPBX_CONTACT_PHONE (CONTACT_ID, POS, ORG_ID, SOURCE,"
                     + " OWNER_ID, KIND, E164, DIGITS) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (long i = 0; i < count; i++) {
                int o = (int) (i % OTHER_ORGS);
                int kind = random.nextInt(100);
                String source = kind < 80 ? "personal" : kind < 97 ? "company" : "organization";
                String owner = source.equals("personal") ? owners[o][random.nextInt(owners[o].length)] : null;
                String mailbox = owner != null ? owner : source.equals("company") ? components[o] : "tenant";
                String first = pick(random, FIRST);
                String last = pick(random, LAST);
                String companyName = pick(random, COMPANIES);
                String name = first + " " + last;
                List<String[]> numbers = new ArrayList<>(); // {kind, as written, e164}
                if (random.nextInt(10) < 9) {
                    numbers.add(withKind("business", number(random, false)));
                }
                if (random.nextInt(10) < 6) {
                    numbers.add(withKind("mobile", number(random, true)));
                }
                if (random.nextInt(8) == 0) {
                    numbers.add(withKind("home", number(random, false)));
                }
                String id = UUID.randomUUID().toString();
                ObjectNode data = JSON.createObjectNode();
                data.put("displayName", name);
                data.put("givenName", first);
                data.put("surname", last);
                data.put("companyName", companyName);
                data.put("jobTitle", pick(random, TITLES));
                data.putNull("department");
                data.putArray("emails").add((first.charAt(0) + last).toLowerCase(Locale.ROOT) + "@" + companyName.toLowerCase(Locale.ROOT)
                        .replaceAll("[^a-z]", "") + ".example");
                ArrayNode phones = data.putArray("phones");
                for (String[] n : numbers) {
                    phones.addObject().put("type", n[0]).put("number", n[1]).put("e164", n[2]);
                }
                int p = 1;
                contact.setString(p++, id);
                contact.setString(p++, realmId);
                contact.setString(p++, orgs[o]);
                contact.setString(p++, components[o]);
                contact.setString(p++, source);
                contact.setString(p++, owner);
                contact.setString(p++, mailbox);
                contact.setString(p++, source.equals("organization") ? "orgContacts" : "AAMkAD-contacts");
                contact.setString(p++, "gen-" + i);
                contact.setString(p++, name);
                contact.setString(p++, companyName);
                contact.setString(p++, data.toString());
                contact.setLong(p, now);
                contact.addBatch();
                for (int k = 0; k < numbers.size(); k++) {
                    String[] n = numbers.get(k);
                    phone.setString(1, id);
                    phone.setInt(2, k);
                    phone.setString(3, orgs[o]);
                    phone.setString(4, source);
                    phone.setString(5, owner);
                    phone.setString(6, n[0]);
                    phone.setString(7, n[2]);
                    phone.setString(8, digits(n[1]));
                    phone.addBatch();
                }
                if ((i + 1) % 1000 == 0 || i == count - 1) {
                    contact.executeBatch();
                    phone.executeBatch();
                    c.commit();
                    if ((i + 1) % 100_000 == 0) {
                        System.out.printf("[contacts-bench] %,d of %,d generated contacts written%n", i + 1, count);
                    }
                }
            }
        } finally {
            c.setAutoCommit(auto);
        }
        return count;
    }

    private static String[] withKind(String kind, String[] number) {
        return new String[] {kind, number[0], number[1]};
    }

    /** {as written, E.164}: landlines of London, Berlin, Seattle and Paris, mobiles of GB, DE and US, in the formats people type. */
    static String[] number(SplittableRandom r, boolean mobile) {
        int country = r.nextInt(10);
        if (mobile) {
            if (country < 6) {
                String sub = String.format(Locale.ROOT, "%09d", r.nextInt(1_000_000_000));
                String nsn = "7" + sub.substring(0, 9);
                return new String[] {r.nextBoolean() ? "+44 " + nsn.substring(0, 4) + " " + nsn.substring(4) : "0" + nsn.substring(0, 4) + " "
                        + nsn.substring(4), "+44" + nsn};
            }
            if (country < 8) {
                String nsn = "15" + String.format(Locale.ROOT, "%09d", r.nextInt(1_000_000_000));
                return new String[] {"+49 " + nsn.substring(0, 3) + " " + nsn.substring(3), "+49" + nsn};
            }
            String nsn = "206" + String.format(Locale.ROOT, "%07d", 2_000_000 + r.nextInt(8_000_000));
            return new String[] {"+1 (206) " + nsn.substring(3, 6) + "-" + nsn.substring(6), "+1" + nsn};
        }
        if (country < 6) {
            String nsn = "20" + (3 + r.nextInt(6)) + String.format(Locale.ROOT, "%07d", r.nextInt(10_000_000));
            return switch (r.nextInt(3)) {
                case 0 -> new String[] {"+44 " + nsn.substring(0, 2) + " " + nsn.substring(2, 6) + " " + nsn.substring(6), "+44" + nsn};
                case 1 -> new String[] {"(0" + nsn.substring(0, 2) + ") " + nsn.substring(2, 6) + " " + nsn.substring(6), "+44" + nsn};
                default -> new String[] {"+44" + nsn, "+44" + nsn};
            };
        }
        if (country < 8) {
            String nsn = "30" + String.format(Locale.ROOT, "%08d", r.nextInt(100_000_000));
            return r.nextBoolean() ? new String[] {"+49 30 " + nsn.substring(2), "+49" + nsn}
                    : new String[] {"0049 30 " + nsn.substring(2), "+49" + nsn};
        }
        if (country < 9) {
            String nsn = "425" + String.format(Locale.ROOT, "%07d", 2_000_000 + r.nextInt(8_000_000));
            return new String[] {"+1 425 " + nsn.substring(3, 6) + " " + nsn.substring(6), "+1" + nsn};
        }
        String nsn = "1" + String.format(Locale.ROOT, "%08d", r.nextInt(100_000_000));
        return new String[] {"+33 1 " + nsn.substring(1, 3) + " " + nsn.substring(3, 5) + " " + nsn.substring(5, 7) + " " + nsn.substring(7),
                "+33" + nsn};
    }

    /** ANALYZE of the contact tables (PostgreSQL; H2: ANALYZE of the database). */
    static void analyze(Connection c, Database db, String schema) throws SQLException {
        long t0 = System.nanoTime();
        try (Statement st = c.createStatement()) {
            if (db.kind() == Database.Kind.POSTGRES) {
                for (String t : CONTACT_TABLES) {
                    st.execute("ANALYZE " + schema + t);
                }
            } else {
                st.execute("ANALYZE");
            }
        }
        System.out.printf("[contacts-bench] ANALYZE: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    }

    /** As {@link SyncBenchmark#startAnalyzer}, with the contact tables too, for both syncs alike. */
    static void startAnalyzer(Database db, String schema) {
        SyncBenchmark.startAnalyzer(db, schema, CONTACT_TABLES);
    }

    // ------------------------------------------------------------------ the lookups

    /**
     * {@code count} lookups: about 80% numbers of the phone system's contacts (distinct E.164 values, drawn at random), 20%
     * numbers it does not have; half written as E.164, half as a UK PBX presents them; a random owner of personal contacts as callee.
     */
    static List<Lookup> numbers(Connection c, String schema, String orgId, int count) throws SQLException {
        // {E.164, owner}: a personal contact's number is known only to its owner's calls, the company's to everyone's
        List<String[]> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT E164, OWNER_ID FROM " + schema + "ENTRAPBX_CONTACT_PHONE WHERE ORG_ID = ?"
                + " AND E164 IS NOT NULL ORDER BY CONTACT_ID, POS")) {
            ps.setString(1, orgId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
        }
        List<String> callees = column(c, "SELECT DISTINCT OWNER_ID FROM " + schema + "ENTRAPBX_CONTACT WHERE ORG_ID = ? AND OWNER_ID IS NOT NULL"
                + " ORDER BY OWNER_ID", orgId);
        Set<String> knownSet = new HashSet<>();
        rows.forEach(r -> knownSet.add(r[0]));
        SplittableRandom r = new SplittableRandom(99);
        List<Lookup> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            boolean hit = r.nextInt(100) < 80;
            String e164;
            String callee = callees.isEmpty() ? null : callees.get(r.nextInt(callees.size()));
            if (hit) {
                String[] row = rows.get(r.nextInt(rows.size()));
                e164 = row[0];
                callee = row[1] != null ? row[1] : callee; // the owner calls: their own contact answers
            } else {
                do {
                    e164 = number(r, r.nextInt(3) == 0)[1];
                } while (knownSet.contains(e164));
            }
            String written = r.nextBoolean() ? e164 : e164.startsWith("+44") ? "0" + e164.substring(3) : "00" + e164.substring(1);
            out.add(new Lookup(written, e164, callee, hit));
        }
        System.out.printf("[contacts-bench] %,d numbers (%,d distinct E.164) in the phone system, %,d callees with personal contacts;"
                + " %,d of the %,d lookups are of known numbers%n", rows.size(), knownSet.size(), callees.size(),
                out.stream().filter(Lookup::known).count(), count);
        return out;
    }

    /** GET .../lookup for every number (after a warm-up with the last ones), HTTP round trip on loopback. */
    static Stats http(PbxDirectoryClient pbx, String org, List<Lookup> numbers) {
        return http(pbx, numbers, l -> path(org, l));
    }

    /** The same requests' pattern for any path (for scale: {@code GET phone-systems/{org}}, the token check and the phone system's summary). */
    static Stats http(PbxDirectoryClient pbx, List<Lookup> numbers, Function<Lookup, String> paths) {
        String token = pbx.token();
        long tokenAt = System.nanoTime();
        for (int i = 0; i < WARM_UP; i++) {
            Lookup l = numbers.get(numbers.size() - 1 - (i % numbers.size()));
            pbx.get(paths.apply(l), token);
        }
        long[] micros = new long[numbers.size()];
        int found = 0;
        Map<Integer, Integer> statuses = new LinkedHashMap<>();
        List<String> missed = new ArrayList<>();
        for (int i = 0; i < numbers.size(); i++) {
            if (System.nanoTime() - tokenAt > 60_000_000_000L) {
                token = pbx.token(); // well inside the token's lifetime
                tokenAt = System.nanoTime();
            }
            String path = paths.apply(numbers.get(i));
            long s = System.nanoTime();
            KeycloakAdminClient.Response r = pbx.get(path, token);
            micros[i] = (System.nanoTime() - s) / 1000;
            statuses.merge(r.status(), 1, Integer::sum);
            if (r.status() == 200) {
                found++;
            } else if (numbers.get(i).known() && missed.size() < 5) {
                missed.add(numbers.get(i) + " -> " + r.status() + " " + r.body());
            }
        }
        if (!missed.isEmpty()) {
            System.out.printf("[contacts-bench] known numbers not found (first %d): %s%n", missed.size(), missed);
        }
        System.out.printf("[contacts-bench] lookup answers by status: %s%n", statuses);
        return Stats.of(micros, micros.length, found);
    }

    private static String path(String org, Lookup l) {
        return "phone-systems/" + org + "/lookup?number=" + URLEncoder.encode(l.asReceived(), StandardCharsets.UTF_8)
                + (l.callee() == null ? "" : "&user=" + l.callee());
    }

    /** The lookup's SQL (ContactsApi.contact(): prepared per call, as the product does), warm-up first. */
    static Stats ours(Connection c, String schema, String orgId, List<Lookup> numbers) throws SQLException {
        String sql = "SELECT c.ID, c.SOURCE, c.OWNER_ID, c.DISPLAY_NAME, c.COMPANY FROM " + schema + "ENTRAPBX_CONTACT_PHONE p"
                + " JOIN " + schema + "ENTRAPBX_CONTACT c ON c.ID = p.CONTACT_ID WHERE p.ORG_ID = ? AND p.E164 = ?"
                + " AND (p.OWNER_ID IS NULL OR p.OWNER_ID = ?) ORDER BY c.ID";
        for (int i = 0; i < WARM_UP; i++) {
            Lookup l = numbers.get(numbers.size() - 1 - (i % numbers.size()));
            query(c, sql, orgId, l.e164(), l.callee() == null ? "" : l.callee());
        }
        long[] micros = new long[numbers.size()];
        int found = 0;
        for (int i = 0; i < numbers.size(); i++) {
            Lookup l = numbers.get(i);
            long s = System.nanoTime();
            int rows = query(c, sql, orgId, l.e164(), l.callee() == null ? "" : l.callee());
            micros[i] = (System.nanoTime() - s) / 1000;
            found += rows > 0 ? 1 : 0;
        }
        return Stats.of(micros, micros.length, found);
    }

    /** The anchor query for the same numbers, within the time budget (the numbers done are reported). */
    static Stats anchor(Connection c, List<Lookup> numbers, long budgetSeconds, String sql, String orgId, Function<Lookup, String> pattern)
            throws SQLException {
        boolean withCallee = sql.contains("OWNER_ID = ?");
        Lookup w = numbers.get(numbers.size() - 1);
        for (int i = 0; i < 3; i++) {
            query(c, sql, withCallee ? new String[] {orgId, pattern.apply(w), w.callee() == null ? "" : w.callee()}
                    : new String[] {orgId, pattern.apply(w)});
        }
        long until = System.nanoTime() + budgetSeconds * 1_000_000_000L;
        long[] micros = new long[numbers.size()];
        int done = 0;
        int found = 0;
        for (Lookup l : numbers) {
            long s = System.nanoTime();
            int rows = query(c, sql, withCallee ? new String[] {orgId, pattern.apply(l), l.callee() == null ? "" : l.callee()}
                    : new String[] {orgId, pattern.apply(l)});
            micros[done++] = (System.nanoTime() - s) / 1000;
            found += rows > 0 ? 1 : 0;
            if (System.nanoTime() > until) {
                break;
            }
        }
        return Stats.of(micros, done, found);
    }

    /** EXPLAIN ANALYZE of our query and the two anchors for one known number. */
    static String plans(Connection c, String schema, String orgId, List<Lookup> numbers) throws SQLException {
        Lookup l = numbers.stream().filter(Lookup::known).findFirst().orElse(numbers.get(0));
        String callee = l.callee() == null ? "" : l.callee();
        StringBuilder out = new StringBuilder();
        String[][] queries = {
            {"lookup", "SELECT c.ID, c.SOURCE, c.OWNER_ID, c.DISPLAY_NAME, c.COMPANY FROM " + schema + "ENTRAPBX_CONTACT_PHONE p JOIN " + schema
                    + "ENTRAPBX_CONTACT c ON c.ID = p.CONTACT_ID WHERE p.ORG_ID = ? AND p.E164 = ? AND (p.OWNER_ID IS NULL OR p.OWNER_ID = ?)"
                    + " ORDER BY c.ID", l.e164()},
            {"anchor DATA LIKE", "SELECT ID, SOURCE, OWNER_ID, DISPLAY_NAME, COMPANY FROM " + schema + "ENTRAPBX_CONTACT WHERE ORG_ID = ?"
                    + " AND DATA LIKE ? AND (OWNER_ID IS NULL OR OWNER_ID = ?)", "%" + l.asReceived() + "%"},
            {"anchor DIGITS LIKE", "SELECT c.ID, c.SOURCE, c.OWNER_ID, c.DISPLAY_NAME, c.COMPANY FROM " + schema + "ENTRAPBX_CONTACT_PHONE p JOIN "
                    + schema + "ENTRAPBX_CONTACT c ON c.ID = p.CONTACT_ID WHERE p.ORG_ID = ? AND p.DIGITS LIKE ?"
                    + " AND (p.OWNER_ID IS NULL OR p.OWNER_ID = ?)", "%" + last(digits(l.e164()), 9)}};
        for (String[] q : queries) {
            out.append("-- ").append(q[0]).append(" (").append(l.asReceived()).append(")\n");
            try (PreparedStatement ps = c.prepareStatement("EXPLAIN (ANALYZE, BUFFERS) " + q[1])) {
                ps.setString(1, orgId);
                ps.setString(2, q[2]);
                if (q[1].contains("OWNER_ID = ?")) {
                    ps.setString(3, callee);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.append(rs.getString(1)).append('\n');
                    }
                }
            }
        }
        return out.toString();
    }

    private static int query(Connection c, String sql, String... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setString(i + 1, params[i]);
            }
            int rows = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rs.getString(4);
                    rows++;
                }
            }
            return rows;
        }
    }

    // ------------------------------------------------------------------ JDBC plumbing

    /** A connection to Keycloak's PostgreSQL database (tables named with the benchmark's schema). */
    static Connection connect(EntraPbxStack stack) throws SQLException {
        Database db = stack.database();
        return DriverManager.getConnection(db.url(), db.username(), db.password());
    }

    private static String one(Connection c, String sql, String... params) throws SQLException {
        List<String> v = column(c, sql, params);
        return v.isEmpty() ? null : v.get(0);
    }

    private static List<String> column(Connection c, String sql, String... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setString(i + 1, params[i]);
            }
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    static String digits(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            int d = Character.digit(text.charAt(i), 10);
            if (d >= 0) {
                out.append((char) ('0' + d));
            }
        }
        return out.toString();
    }

    private static String last(String s, int n) {
        return s.length() <= n ? s : s.substring(s.length() - n);
    }

    private static String pick(SplittableRandom r, String[] values) {
        return values[r.nextInt(values.length)];
    }

    private static final String[] FIRST = {"Aaliyah", "Aaron", "Abigail", "Adrian", "Aisha", "Alejandro", "Amara", "Andrei", "Anika", "Arjun",
        "Beatriz", "Caleb", "Carmen", "Chloe", "Dario", "Elif", "Emeka", "Esther", "Farah", "Giulia", "Hamza", "Ingrid", "Jakub", "Kaito",
        "Leila", "Lorenzo", "Malik", "Marta", "Mei", "Nadia", "Niamh", "Oskar", "Paloma", "Rohan", "Sebastian", "Siobhan", "Theo", "Yusuf"};
    private static final String[] LAST = {"Abbott", "Adeyemi", "Bauer", "Brennan", "Castillo", "Chowdhury", "Dalton", "Eriksen", "Fischer",
        "Gallagher", "Hartmann", "Ibrahim", "Kaur", "Keller", "Larsen", "Mancini", "Moreau", "Nakamura", "O'Brien", "Okonkwo", "Pereira",
        "Quinn", "Richter", "Santos", "Sullivan", "Takahashi", "Walsh", "Weiss", "Yilmaz", "Zimmermann"};
    private static final String[] COMPANIES = {"Contoso Ltd", "Fabrikam Inc", "Northwind Traders", "Adventure Works", "Tailspin Toys",
        "Woodgrove Bank", "Litware Inc", "Fourth Coffee", "Alpine Ski House", "Coho Winery", "Relecloud", "Trey Research"};
    private static final String[] TITLES = {"Account Manager", "Buyer", "Consultant", "Director", "Head of IT", "Office Manager",
        "Project Manager", "Sales Representative"};

    // ------------------------------------------------------------------ the report

    private static void report(int users, int perUser, int company, String db, String kc, long stored, SyncRun plainFull, SyncRun contactsFull,
                               SyncRun contactsChanged, SyncRun plainChanged, Lookups l) throws Exception {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "%s, %s, Keycloak %s; %,d users, %,d personal contacts each, %,d company contacts%n%n",
                LocalDate.now(), db, kc, users, perUser, company));
        md.append("| Measure | with contacts | anchor | difference / ratio | goal |\n|---|---|---|---|---|\n");
        long stage = contactsFull.millis() - plainFull.millis();
        md.append(String.format(Locale.ROOT, "| first full sync | %.1f s (%,d contacts stored) | same sync without contacts: %.1f s "
                        + "| contacts stage %.1f s (%,.0f contacts/s); %.2fx | - |%n",
                contactsFull.millis() / 1000.0, stored, plainFull.millis() / 1000.0, stage / 1000.0, stored * 1000.0 / Math.max(1, stage),
                contactsFull.millis() / (double) Math.max(1, plainFull.millis())));
        md.append(String.format(Locale.ROOT, "| Graph requests, full sync | %,d: %s | %,d: %s | +%,d | - |%n", contactsFull.graphTotal(),
                kinds(contactsFull.graph()), plainFull.graphTotal(), kinds(plainFull.graph()), contactsFull.graphTotal() - plainFull.graphTotal()));
        md.append(String.format(Locale.ROOT, "| changed sync, %d contacts edited | %.2f s; Graph %,d: %s | changed sync without contacts, no changes: "
                        + "%.2f s; Graph %,d: %s | +%.2f s | - |%n", EDITS, contactsChanged.millis() / 1000.0, contactsChanged.graphTotal(),
                kinds(contactsChanged.graph()), plainChanged.millis() / 1000.0, plainChanged.graphTotal(), kinds(plainChanged.graph()),
                (contactsChanged.millis() - plainChanged.millis()) / 1000.0));
        md.append(String.format(Locale.ROOT, "| lookup over HTTP (%,d numbers, %,d found), %,d contacts in the realm | median %.2f ms, p95 %.2f ms, "
                        + "max %.1f ms | for scale, GET phone-systems/{org} (token check, the phone system's summary): median %.2f ms, "
                        + "p95 %.2f ms | %+.2f ms (median) | - |%n", l.http().n(), l.http().found(), l.contacts(), l.http().p50(), l.http().p95(),
                l.http().max(), l.floor().p50(), l.floor().p95(), l.http().p50() - l.floor().p50()));
        md.append(String.format(Locale.ROOT, "| lookup SQL over JDBC (E.164 index, %,d found) | median %.3f ms, p95 %.3f ms, max %.1f ms "
                        + "| DATA LIKE '%%number%%': %,d numbers, %,d found, median %.1f ms, p95 %.1f ms | %.0fx (median), %.0fx (p95) "
                        + "| p95 < 5 ms: %s |%n", l.sql().found(), l.sql().p50(), l.sql().p95(), l.sql().max(), l.likeData().n(),
                l.likeData().found(), l.likeData().p50(), l.likeData().p95(), l.likeData().p50() / l.sql().p50(), l.likeData().p95() / l.sql().p95(),
                l.sql().p95() < 5 ? "met" : "not met"));
        md.append(String.format(Locale.ROOT, "| (same) | | DIGITS LIKE '%%<last 9 digits>': %,d numbers, %,d found, median %.1f ms, p95 %.1f ms "
                        + "| %.0fx (median), %.0fx (p95) | |%n", l.likeDigits().n(), l.likeDigits().found(), l.likeDigits().p50(),
                l.likeDigits().p95(), l.likeDigits().p50() / l.sql().p50(), l.likeDigits().p95() / l.sql().p95()));
        md.append(String.format(Locale.ROOT, "%nRun log, full sync with contacts: %s%n%nRun log, changed sync: %s%n%n"
                        + "Fill: %,d generated contacts in %.1f s; %,d numbers in ENTRAPBX_CONTACT_PHONE.%n",
                contactsFull.run().path("message").asText(), contactsChanged.run().path("message").asText(), l.generated(), l.fillMs() / 1000.0,
                l.phones()));
        if (!l.plans().isEmpty()) {
            md.append("\n```\n").append(l.plans()).append("```\n");
        }
        Path out = Path.of("target", "benchmarks", "contacts.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md.toString());
        System.out.println(md);
        System.out.println("Written to " + out.toAbsolutePath());
    }

    /** Graph request counts without the token requests, largest first. */
    private static String kinds(Map<String, Long> counts) {
        StringBuilder sb = new StringBuilder();
        counts.entrySet().stream().filter(e -> !e.getKey().equals("login")).sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> sb.append(sb.length() == 0 ? "" : ", ").append(e.getKey()).append(' ').append(String.format(Locale.ROOT, "%,d", e.getValue())));
        return sb.toString();
    }
}
