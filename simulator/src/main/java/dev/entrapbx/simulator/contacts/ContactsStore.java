package dev.entrapbx.simulator.contacts;

import com.fasterxml.jackson.databind.JsonNode;
import dev.entrapbx.simulator.directory.Directory;
import dev.entrapbx.simulator.directory.DirectoryException;
import dev.entrapbx.simulator.model.User;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Contacts of the simulated tenants: Outlook contacts in users' (and shared) mailboxes and the tenants'
 * organizational contacts. Mailboxes belong to users of the {@link Directory}; a member with a mail address has a
 * mailbox (created on first use), a guest or a user without mail has none unless one is enabled explicitly, and any
 * mailbox can be disabled (Graph then answers MailboxNotEnabledForRESTAPI).
 */
public final class ContactsStore {
    /** Result of a bulk generation. */
    public record Generated(int mailboxes, int contacts, Duration elapsed) { }

    private final Directory directory;
    private final Map<String, Mailbox> mailboxes = new ConcurrentHashMap<>();
    private final Map<String, OrgContactStore> orgContacts = new ConcurrentHashMap<>();
    private final Map<String, Long> generatedOrgContacts = new ConcurrentHashMap<>();

    public ContactsStore(Directory directory) {
        this.directory = directory;
    }

    public void reset() {
        mailboxes.clear();
        orgContacts.clear();
        generatedOrgContacts.clear();
    }

    // ---------------------------------------------------------------- mailboxes

    /**
     * The mailbox Graph reads for a user: empty when the user has none (a guest, no mail address, or disabled).
     * A member's mailbox is created on first use, with its default Contacts folder.
     */
    public Optional<Mailbox> mailboxOf(String tenantId, User user) {
        Mailbox existing = mailboxes.get(key(tenantId, user.id()));
        if (existing != null) {
            return existing.read(Mailbox::enabled) ? Optional.of(existing) : Optional.empty();
        }
        if (user.mail() == null || "Guest".equalsIgnoreCase(user.userType())) {
            return Optional.empty();
        }
        return Optional.of(open(tenantId, user));
    }

    /** The mailbox of a user (id or UPN) for the control API, created (and enabled) if needed. */
    public Mailbox mailbox(String tenantIdOrDomain, String userIdOrUpn) {
        String tenantId = directory.requireTenant(tenantIdOrDomain).id();
        return open(tenantId, directory.requireUser(tenantId, userIdOrUpn));
    }

    /** Enables or disables a user's mailbox (a disabled one answers 404 MailboxNotEnabledForRESTAPI). */
    public Mailbox enableMailbox(String tenantIdOrDomain, String userIdOrUpn, boolean enabled) {
        Mailbox m = mailbox(tenantIdOrDomain, userIdOrUpn);
        m.enabled(enabled);
        return m;
    }

    /** Creates a shared mailbox: a user that cannot sign in (accountEnabled false, userType Member) with a mailbox. */
    public Mailbox createSharedMailbox(String tenantIdOrDomain, String userPrincipalName, String displayName,
                                       String mail) {
        String tenantId = directory.requireTenant(tenantIdOrDomain).id();
        User u = directory.createUser(tenantId, User.builder().userPrincipalName(userPrincipalName)
                .displayName(displayName == null ? userPrincipalName : displayName)
                .mail(mail == null ? userPrincipalName : mail).accountEnabled(false).userType("Member"));
        return open(tenantId, u);
    }

    public ContactFolder createFolder(String tid, String user, String displayName, String parentFolderId) {
        Mailbox m = mailbox(tid, user);
        // as Graph's "create contactFolder": a new folder goes under the default Contacts folder
        long parent = parentFolderId == null ? Mailbox.DEFAULT_FOLDER : folderSeq(m, parentFolderId);
        return m.createFolder(displayName, parent);
    }

    public ContactFolder renameFolder(String tid, String user, String folderId, String displayName) {
        Mailbox m = mailbox(tid, user);
        return m.renameFolder(folderSeq(m, folderId), displayName);
    }

    public void deleteFolder(String tid, String user, String folderId) {
        Mailbox m = mailbox(tid, user);
        m.deleteFolder(folderSeq(m, folderId));
    }

    /** Creates a contact in a folder (null: the default Contacts folder) from Graph's JSON. */
    public StoredContact createContact(String tid, String user, String folderId, JsonNode contact) {
        Mailbox m = mailbox(tid, user);
        long folder = folderId == null ? Mailbox.DEFAULT_FOLDER : folderSeq(m, folderId);
        return m.createContact(folder, ContactFields.EMPTY.apply(contact));
    }

    public StoredContact createContact(String tid, String user, String folderId, ContactFields contact) {
        Mailbox m = mailbox(tid, user);
        long folder = folderId == null ? Mailbox.DEFAULT_FOLDER : folderSeq(m, folderId);
        return m.createContact(folder, contact);
    }

    /** Partial update with Graph names; a {@code parentFolderId} different from the current one moves the contact. */
    public StoredContact patchContact(String tid, String user, String contactId, JsonNode patch) {
        Mailbox m = mailbox(tid, user);
        long seq = contactSeq(m, contactId);
        StoredContact c = m.updateContact(seq, f -> f.apply(patch));
        if (patch.hasNonNull("parentFolderId")) {
            c = m.moveContact(seq, folderSeq(m, patch.get("parentFolderId").asText()));
        }
        return c;
    }

    public StoredContact updateContact(String tid, String user, String contactId, UnaryOperator<ContactFields> change) {
        Mailbox m = mailbox(tid, user);
        return m.updateContact(contactSeq(m, contactId), change::apply);
    }

    public void deleteContact(String tid, String user, String contactId) {
        Mailbox m = mailbox(tid, user);
        m.deleteContact(contactSeq(m, contactId));
    }

    /** Makes one folder's contacts delta tokens fail with 410 SyncStateNotFound. */
    public void expireFolderDelta(String tid, String user, String folderId) {
        Mailbox m = mailbox(tid, user);
        m.expireFolderDelta(folderSeq(m, folderId));
    }

    /** Makes all contacts and contactFolders delta tokens of a mailbox fail with 410 SyncStateNotFound. */
    public void expireMailboxDelta(String tid, String user) {
        mailbox(tid, user).expireAllDelta();
    }

    /**
     * Generates {@code perUser} contacts in each listed mailbox (null or empty: every member with a mail address).
     *
     * @param folderName a folder to create (or reuse) at the top of each mailbox; null for the default folder
     */
    public Generated generate(String tid, List<String> users, int perUser, String folderName, long seed) {
        if (perUser < 0 || perUser > 100_000) {
            throw DirectoryException.invalid("perUser must be between 0 and 100000");
        }
        long start = System.nanoTime();
        String tenantId = directory.requireTenant(tid).id();
        List<String> targets = users == null || users.isEmpty()
                ? directory.users(tenantId).stream().filter(u -> u.mail() != null && !"Guest".equals(u.userType()))
                        .map(User::id).toList()
                : users;
        ContactGenerator generator = new ContactGenerator(seed);
        int total = 0;
        for (String user : targets) {
            Mailbox m = mailbox(tenantId, user);
            long folder = folderName == null ? Mailbox.DEFAULT_FOLDER : folderNamed(m, folderName);
            total += m.createContacts(folder, generator.contacts(perUser));
        }
        return new Generated(targets.size(), total, Duration.ofNanos(System.nanoTime() - start));
    }

    public Generated generateInMailbox(String tid, String user, int count, String folderName, long seed) {
        return generate(tid, List.of(user), count, folderName, seed);
    }

    /** The default folder for "Contacts", else the folder of this name in it, created if missing. */
    public long folderNamed(Mailbox m, String name) {
        if ("Contacts".equalsIgnoreCase(name)) {
            return Mailbox.DEFAULT_FOLDER;
        }
        Optional<Long> found = m.read(x -> x.folders().values().stream()
                .filter(f -> f.parentSeq() == Mailbox.DEFAULT_FOLDER && f.displayName().equalsIgnoreCase(name))
                .map(ContactFolder::seq).findFirst());
        return found.orElseGet(() -> m.createFolder(name, Mailbox.DEFAULT_FOLDER).seq());
    }

    // ---------------------------------------------------------------- organizational contacts

    /** The tenant's organizational contacts (created empty on first use). */
    public OrgContactStore orgContacts(String tenantIdOrDomain) {
        String tenantId = directory.requireTenant(tenantIdOrDomain).id();
        return orgContacts.computeIfAbsent(tenantId, k -> new OrgContactStore());
    }

    public OrgContact createOrgContact(String tid, JsonNode body) {
        String id = body.hasNonNull("id") ? UUID.fromString(body.get("id").asText()).toString()
                : UUID.randomUUID().toString();
        OrgContact c = new OrgContact(id, null, null, null, null, null, null, null, null, null, null, null).apply(body);
        return orgContacts(tid).create(c);
    }

    public OrgContact patchOrgContact(String tid, String id, JsonNode patch) {
        return orgContacts(tid).update(id, c -> c.apply(patch));
    }

    public OrgContact updateOrgContact(String tid, String id, UnaryOperator<OrgContact> change) {
        return orgContacts(tid).update(id, change);
    }

    public OrgContact deleteOrgContact(String tid, String id) {
        return orgContacts(tid).delete(id);
    }

    public Generated generateOrgContacts(String tid, int count, long seed) {
        if (count < 1 || count > 1_000_000) {
            throw DirectoryException.invalid("count must be between 1 and 1000000");
        }
        long start = System.nanoTime();
        OrgContactStore store = orgContacts(tid);
        long first = generatedOrgContacts.merge(directory.requireTenant(tid).id(), (long) count, Long::sum) - count;
        for (OrgContact c : new ContactGenerator(seed).orgContacts(count, first + 1)) {
            store.create(c);
        }
        return new Generated(0, count, Duration.ofNanos(System.nanoTime() - start));
    }

    /** Expires the tenant's orgContact delta tokens (400 syncStateNotFound, as for users and groups). */
    public void expireOrgContactDelta(String tid) {
        orgContacts(tid).expireDelta();
    }

    // ---------------------------------------------------------------- helpers

    private Mailbox open(String tenantId, User user) {
        return mailboxes.computeIfAbsent(key(tenantId, user.id()),
                k -> new Mailbox(tenantId, UUID.fromString(user.id())));
    }

    private static long folderSeq(Mailbox m, String folderId) {
        return m.seqOf(folderId, OutlookIds.Kind.FOLDER).filter(s -> m.read(x -> x.folder(s).isPresent()))
                .orElseThrow(() -> DirectoryException.notFound("No contact folder " + folderId + " in this mailbox"));
    }

    private static long contactSeq(Mailbox m, String contactId) {
        return m.seqOf(contactId, OutlookIds.Kind.CONTACT).filter(s -> m.read(x -> x.contact(s).isPresent()))
                .orElseThrow(() -> DirectoryException.notFound("No contact " + contactId + " in this mailbox"));
    }

    private static String key(String tenantId, String userId) {
        return tenantId + "/" + userId;
    }

    /** Ids of the folders of a mailbox, for control listings. */
    public static List<String> folderIds(Mailbox m) {
        return m.read(x -> {
            List<String> out = new ArrayList<>();
            x.folders().keySet().forEach(s -> out.add(x.folderId(s)));
            return out;
        });
    }
}
