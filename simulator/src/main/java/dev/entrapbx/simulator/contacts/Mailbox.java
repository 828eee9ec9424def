package dev.entrapbx.simulator.contacts;

import dev.entrapbx.simulator.directory.DirectoryException;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;

/**
 * The contacts part of one user's (or shared) mailbox: folders (the default "Contacts" folder always exists) and
 * their contacts, with one change counter for the mailbox. Every method holds the mailbox's monitor, so one mailbox
 * is consistent while different mailboxes are used in parallel.
 *
 * <p>Delta works from change numbers: an object changed in a round (from, to] has its last change number in that
 * range; a removal is kept as a tombstone under its change number until the folder's tokens expire.
 */
public final class Mailbox {
    /** The default Contacts folder's number. */
    public static final long DEFAULT_FOLDER = 1;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String tenantId;
    private final UUID owner;
    private final long epoch = RANDOM.nextLong() & Long.MAX_VALUE;
    private final TreeMap<Long, ContactFolder> folders = new TreeMap<>();
    /** change number of the removal -> folder number. */
    private final TreeMap<Long, Long> removedFolders = new TreeMap<>();
    /** contact number -> folder number, for lookups by id. */
    private final java.util.HashMap<Long, Long> folderOfContact = new java.util.HashMap<>();
    private long nextSeq = DEFAULT_FOLDER + 1;
    private long change;
    private long folderExpiryGeneration;
    private boolean enabled = true;

    Mailbox(String tenantId, UUID owner) {
        this.tenantId = tenantId;
        this.owner = owner;
        long now = Instant.now().getEpochSecond();
        folders.put(DEFAULT_FOLDER, new ContactFolder(DEFAULT_FOLDER, 0, "Contacts", ++change, now));
    }

    public String tenantId() { return tenantId; }
    public UUID owner() { return owner; }
    public String ownerId() { return owner.toString(); }

    /** Runs a read against a consistent view of the mailbox. */
    public synchronized <T> T read(Function<Mailbox, T> reader) {
        return reader.apply(this);
    }

    // ---------------------------------------------------------------- reads (call under read())

    public long epoch() { return epoch; }
    public long head() { return change; }
    public boolean enabled() { return enabled; }
    public long folderExpiryGeneration() { return folderExpiryGeneration; }

    public NavigableMap<Long, ContactFolder> folders() { return Collections.unmodifiableNavigableMap(folders); }

    public NavigableMap<Long, Long> removedFolders() { return Collections.unmodifiableNavigableMap(removedFolders); }

    public Optional<ContactFolder> folder(long seq) { return Optional.ofNullable(folders.get(seq)); }

    public Optional<StoredContact> contact(long seq) {
        Long folder = folderOfContact.get(seq);
        return folder == null ? Optional.empty() : Optional.ofNullable(folders.get(folder).contacts.get(seq));
    }

    public int contactCount() { return folderOfContact.size(); }

    public String id(OutlookIds.Kind kind, long seq) { return OutlookIds.encode(owner, kind, seq); }

    public String folderId(long seq) {
        return seq == 0 ? id(OutlookIds.Kind.ROOT, 0) : id(OutlookIds.Kind.FOLDER, seq);
    }

    /** Decodes an id of this mailbox of the given kind; empty for a malformed id or one of another mailbox. */
    public Optional<Long> seqOf(String id, OutlookIds.Kind kind) {
        return OutlookIds.decode(id).filter(d -> d.mailbox().equals(owner) && d.kind() == kind).map(d -> d.seq());
    }

    // ---------------------------------------------------------------- writes

    synchronized void enabled(boolean value) { this.enabled = value; }

    synchronized ContactFolder createFolder(String displayName, long parentSeq) {
        if (displayName == null || displayName.isBlank()) {
            throw DirectoryException.invalid("A contact folder needs a displayName");
        }
        if (parentSeq != 0 && !folders.containsKey(parentSeq)) {
            throw DirectoryException.notFound("No parent folder " + parentSeq);
        }
        for (ContactFolder f : folders.values()) {
            if (f.parentSeq() == parentSeq && f.displayName().equalsIgnoreCase(displayName)) {
                throw DirectoryException.conflict("A folder with the specified name already exists.");
            }
        }
        long seq = nextSeq++;
        ContactFolder folder = new ContactFolder(seq, parentSeq, displayName, ++change, Instant.now().getEpochSecond());
        folders.put(seq, folder);
        return folder;
    }

    synchronized ContactFolder renameFolder(long seq, String displayName) {
        ContactFolder f = requireFolder(seq);
        if (displayName == null || displayName.isBlank()) {
            throw DirectoryException.invalid("A contact folder needs a displayName");
        }
        f.rename(displayName, ++change);
        return f;
    }

    /** Deletes a folder, its child folders and their contacts (the default folder cannot be deleted). */
    synchronized void deleteFolder(long seq) {
        ContactFolder f = requireFolder(seq);
        if (seq == DEFAULT_FOLDER) {
            throw DirectoryException.invalid("The default Contacts folder cannot be deleted");
        }
        for (ContactFolder child : new ArrayList<>(folders.values())) {
            if (child.parentSeq() == seq) {
                deleteFolder(child.seq());
            }
        }
        for (Long contact : new ArrayList<>(f.contacts.keySet())) {
            removeContact(f, contact);
        }
        folders.remove(seq);
        removedFolders.put(++change, seq);
    }

    synchronized StoredContact createContact(long folderSeq, ContactFields fields) {
        ContactFolder f = requireFolder(folderSeq);
        long now = Instant.now().getEpochSecond();
        StoredContact c = new StoredContact(nextSeq++, folderSeq, now, now, 0, ++change, fields);
        f.contacts.put(c.seq(), c);
        folderOfContact.put(c.seq(), folderSeq);
        return c;
    }

    /** Many contacts in one folder under one lock acquisition (bulk generation). */
    synchronized int createContacts(long folderSeq, List<ContactFields> all) {
        for (ContactFields fields : all) {
            createContact(folderSeq, fields);
        }
        return all.size();
    }

    synchronized StoredContact updateContact(long seq, Function<ContactFields, ContactFields> change) {
        StoredContact before = requireContact(seq);
        ContactFields after = change.apply(before.fields());
        StoredContact c = new StoredContact(seq, before.folderSeq(), before.createdEpochSecond(),
                Math.max(Instant.now().getEpochSecond(), before.modifiedEpochSecond()), before.version() + 1,
                ++this.change, after);
        folders.get(c.folderSeq()).contacts.put(seq, c);
        return c;
    }

    /** Moves a contact: a removal from the old folder and a change in the new one, as delta shows a move. */
    synchronized StoredContact moveContact(long seq, long toFolder) {
        StoredContact before = requireContact(seq);
        ContactFolder target = requireFolder(toFolder);
        if (before.folderSeq() == toFolder) {
            return before;
        }
        ContactFolder source = folders.get(before.folderSeq());
        source.contacts.remove(seq);
        source.removed.put(++change, seq);
        StoredContact c = new StoredContact(seq, toFolder, before.createdEpochSecond(), Instant.now().getEpochSecond(),
                before.version() + 1, ++change, before.fields());
        target.contacts.put(seq, c);
        folderOfContact.put(seq, toFolder);
        return c;
    }

    synchronized void deleteContact(long seq) {
        StoredContact c = requireContact(seq);
        removeContact(folders.get(c.folderSeq()), seq);
    }

    /** Makes the delta tokens of one folder's contacts fail (410 SyncStateNotFound). */
    synchronized void expireFolderDelta(long folderSeq) {
        requireFolder(folderSeq).expire(change);
    }

    /** Makes every contacts and contactFolders delta token of the mailbox fail. */
    synchronized void expireAllDelta() {
        folders.values().forEach(f -> f.expire(change));
        folderExpiryGeneration++;
        removedFolders.headMap(change, true).clear();
    }

    private void removeContact(ContactFolder f, long seq) {
        f.contacts.remove(seq);
        f.removed.put(++change, seq);
        folderOfContact.remove(seq);
    }

    ContactFolder requireFolder(long seq) {
        ContactFolder f = folders.get(seq);
        if (f == null) {
            throw DirectoryException.notFound("The specified folder could not be found in the store.");
        }
        return f;
    }

    StoredContact requireContact(long seq) {
        return contact(seq).orElseThrow(() -> DirectoryException.notFound(
                "The specified object was not found in the store."));
    }
}
