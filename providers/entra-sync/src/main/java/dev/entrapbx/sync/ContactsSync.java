package dev.entrapbx.sync;

import dev.entrapbx.graph.GraphException;
import dev.entrapbx.kc.Db;
import dev.entrapbx.sync.contacts.Contact;
import dev.entrapbx.sync.contacts.ContactStore;
import dev.entrapbx.sync.graph.GraphContacts;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The contacts stage, after the users: the tenant's organizational contacts, the shared mailboxes'
 * contacts (the company phone book) and each synced user's personal contacts, each folder through
 * its own Graph delta link ({@link ContactStore.FolderState}).
 * <ul>
 * <li>A page is written in a transaction of its own; a folder's delta link is stored only after its
 *     round completed, so a cut-off round is read again, never half-applied as complete.</li>
 * <li>An expired delta link (Graph 410 / syncStateNotFound) gives a full read of that folder, and only
 *     after that read completed are the contacts it did not see removed.</li>
 * <li>A mailbox or folder Graph cannot read (throttled past the retries, 5xx, no permission) is
 *     recorded in the run log and its stored contacts stay; the other mailboxes go on.</li>
 * <li>A source switched off, a shared mailbox taken off the list, a folder gone in Outlook: their
 *     contacts are removed (that is what the admin or the mailbox owner asked for).</li>
 * </ul>
 */
final class ContactsSync {

    private static final Logger LOG = Logger.getLogger(ContactsSync.class);
    /** Numbers that do not parse, listed one by one in the run log (the rest are counted). */
    private static final int UNPARSED_LISTED = 50;

    private final RealmJobs jobs;
    private final String componentId;
    private final EntraSyncConfig config;
    private final SyncTarget target;
    private final RunLog run;
    private final Clock clock;
    private final GraphContacts graph;
    private final String region;

    private final Map<Contact.Source, int[]> counts = new LinkedHashMap<>(); // {added, updated, removed}
    private int failedMailboxes;
    private int withoutMailbox;
    private int unparsed;
    private final ContactStore.Changes changes = ContactStore.Changes.none();

    ContactsSync(RealmJobs jobs, String componentId, EntraSyncConfig config, SyncTarget target, RunLog run, Clock clock) {
        this.jobs = jobs;
        this.componentId = componentId;
        this.config = config;
        this.target = target;
        this.run = run;
        this.clock = clock;
        this.graph = new GraphContacts(target.graph());
        this.region = config.phoneRegion().orElse(null);
    }

    /** What this run changed, by contact id (for the directory's change feed). */
    ContactStore.Changes changes() {
        return changes;
    }

    /**
     * Reads every source that is on and removes what belongs to sources that are off. False when a
     * source, mailbox or folder could not be read (the run is then PARTIAL).
     *
     * @param synced the component's synced users (object id -> user), for personal contacts
     */
    boolean run(Map<String, SyncedUser> synced) {
        Map<String, ContactStore.FolderState> stored = new HashMap<>();
        jobs.run(s -> Db.run(s, "Contacts", db -> {
            for (ContactStore.FolderState f : ContactStore.folders(db, componentId)) {
                stored.put(key(f.mailbox(), f.folderId()), f);
            }
            return null;
        }));
        if (!config.contacts() && stored.isEmpty()) {
            return true;
        }
        Set<String> read = new HashSet<>(); // folders read (or attempted) this run: the others are gone
        boolean ok = true;
        if (config.contactsOrganizational()) {
            ok &= readFolder(book(Contact.Source.ORGANIZATION, null, ContactStore.TENANT, ContactStore.ORG_CONTACTS_FOLDER),
                    "organizational contacts", stored, read);
        }
        boolean allSharedResolved = true;
        for (String address : config.contactsSharedMailboxes()) {
            Optional<GraphContacts.Mailbox> mailbox = resolve(address);
            if (mailbox.isEmpty()) {
                allSharedResolved = false;
                ok = false;
                continue;
            }
            ok &= readMailbox(Contact.Source.COMPANY, null, mailbox.get().id(), address, stored, read);
        }
        if (config.contactsPersonal()) {
            for (Map.Entry<String, SyncedUser> u : synced.entrySet()) {
                if (u.getValue().enabled()) {
                    ok &= readMailbox(Contact.Source.PERSONAL, u.getValue().userId(), u.getKey(), u.getKey(), stored, read);
                }
            }
        }
        // what is no longer read: a source switched off, a mailbox off the list, a user gone, a folder gone in Outlook
        for (ContactStore.FolderState f : stored.values()) {
            if (read.contains(key(f.mailbox(), f.folderId()))) {
                continue;
            }
            if (f.source() == Contact.Source.COMPANY && !allSharedResolved && config.contactsSharedMailboxes().size() > 0) {
                continue; // a listed mailbox could not be looked up: it may be this one, so nothing is removed
            }
            jobs.run(s -> Db.run(s, "Contacts", db -> {
                ContactStore.Changes c = ContactStore.removeFolder(db, componentId, f.mailbox(), f.folderId());
                count(f.source(), c);
                return null;
            }));
        }
        run.note(summary());
        return ok;
    }

    /** A mailbox's folders (the default one, or all), each read; false when any could not be. */
    private boolean readMailbox(Contact.Source source, String ownerId, String mailbox, String label,
                                Map<String, ContactStore.FolderState> stored, Set<String> read) {
        List<GraphContacts.Folder> folders;
        if (config.contactsFolders() == EntraSyncConfig.ContactFolders.ALL) {
            try {
                folders = graph.folders(mailbox);
            } catch (GraphException e) {
                markRead(mailbox, stored, read); // its folders keep their contacts
                return failed(source, mailbox, label, e);
            }
        } else {
            folders = List.of(new GraphContacts.Folder(GraphContacts.DEFAULT_FOLDER, "Contacts", null));
        }
        boolean ok = true;
        for (GraphContacts.Folder f : folders) {
            lastFailure = null;
            ContactStore.Book book = book(source, ownerId, mailbox, f.id());
            ok &= readFolder(book, f.displayName(), stored, read);
            if (lastFailure != null && isMailboxLevel(lastFailure)) {
                markRead(mailbox, stored, read);
                break; // the mailbox itself does not answer: its other folders would not either
            }
        }
        return ok;
    }

    /** The failure of the last folder read, if it failed. */
    private GraphException lastFailure;

    /** Reads one folder's delta round (a full read without a stored link), writing page by page. */
    private boolean readFolder(ContactStore.Book book, String name, Map<String, ContactStore.FolderState> stored, Set<String> read) {
        read.add(key(book.mailbox(), book.folderId()));
        ContactStore.FolderState state = stored.get(key(book.mailbox(), book.folderId()));
        String link = state == null ? null : state.deltaLink();
        boolean full = link == null;
        Set<String> seen = new HashSet<>();
        String deltaLink = null;
        while (deltaLink == null) {
            GraphContacts.ContactPage page;
            try {
                page = book.source() == Contact.Source.ORGANIZATION ? graph.orgContactsDelta(link, region)
                        : graph.contactsDelta(book.mailbox(), book.folderId(), link, region);
            } catch (GraphException e) {
                if (e.deltaTokenExpired() && !full) {
                    run.note("Contacts of " + describe(book, name) + ": the delta link expired; the folder was read in full.");
                    link = null;
                    full = true;
                    seen.clear();
                    continue;
                }
                if (e.status() == 404 && book.source() != Contact.Source.ORGANIZATION && !GraphContacts.DEFAULT_FOLDER.equals(book.folderId())
                        && "ErrorItemNotFound".equalsIgnoreCase(e.code())) {
                    read.remove(key(book.mailbox(), book.folderId())); // the folder is gone: removed with its contacts below
                    return true;
                }
                if (book.source() == Contact.Source.PERSONAL && noMailbox(e)) {
                    withoutMailbox++;
                    read.remove(key(book.mailbox(), book.folderId())); // no mailbox (any more): no personal contacts
                    return true;
                }
                lastFailure = e;
                saveFolder(book, name, Optional.empty(), "failed", e.getMessage());
                return failed(book.source(), book.mailbox(), describe(book, name), e);
            }
            List<Contact> contacts = page.contacts();
            contacts.forEach(c -> seen.add(c.graphId()));
            noteUnparsed(book, contacts);
            jobs.run(s -> Db.run(s, "Contacts", db -> {
                long now = clock.millis();
                count(book.source(), ContactStore.upsert(db, book, contacts, now));
                count(book.source(), ContactStore.remove(db, book, page.removed()));
                return null;
            }));
            if (page.nextLink() != null) {
                link = page.nextLink();
            } else {
                deltaLink = page.deltaLink();
            }
        }
        boolean complete = full;
        String finalLink = deltaLink;
        jobs.run(s -> Db.run(s, "Contacts", db -> {
            if (complete) {
                count(book.source(), ContactStore.removeUnseen(db, book, seen)); // only after the whole folder was read
            }
            ContactStore.saveFolder(db, book, name, Optional.of(finalLink), "ok", null, clock.millis());
            return null;
        }));
        return true;
    }

    /** The shared mailbox's object id, or empty (recorded) when Graph does not know it. */
    private Optional<GraphContacts.Mailbox> resolve(String address) {
        try {
            return Optional.of(graph.mailbox(address));
        } catch (GraphException e) {
            failedMailboxes++;
            run.problem(true, null, address, "Shared mailbox '" + address + "' could not be looked up, its contacts were kept: "
                    + e.getMessage());
            return Optional.empty();
        }
    }

    private boolean failed(Contact.Source source, String mailbox, String label, GraphException e) {
        if (source == Contact.Source.PERSONAL && noMailbox(e)) {
            withoutMailbox++;
            return true; // a user without an Exchange mailbox has no contacts to read: not a failure
        }
        failedMailboxes++;
        run.problem(true, source == Contact.Source.ORGANIZATION ? null : mailbox, label,
                "Contacts (" + source.id() + ") of " + label + " could not be read, the stored ones were kept: " + e.getMessage());
        LOG.debugf("contacts of %s: %s", label, e.getMessage());
        return false;
    }

    private static boolean noMailbox(GraphException e) {
        return e.status() == 404 && e.code() != null
                && (e.code().equalsIgnoreCase("MailboxNotEnabledForRESTAPI") || e.code().equalsIgnoreCase("ErrorInvalidUser"));
    }

    private static boolean isMailboxLevel(GraphException e) {
        return e != null && (e.status() == 0 || e.status() == 429 || e.status() >= 500 || noMailbox(e) || e.status() == 403);
    }

    /** The mailbox's stored folders count as read: nothing of them is removed this run. */
    private static void markRead(String mailbox, Map<String, ContactStore.FolderState> stored, Set<String> read) {
        stored.values().stream().filter(f -> f.mailbox().equals(mailbox)).forEach(f -> read.add(key(f.mailbox(), f.folderId())));
    }

    private void saveFolder(ContactStore.Book book, String name, Optional<String> link, String status, String problem) {
        jobs.run(s -> Db.run(s, "Contacts", db -> {
            ContactStore.saveFolder(db, book, name, link, status, problem, clock.millis());
            return null;
        }));
    }

    private void noteUnparsed(ContactStore.Book book, List<Contact> contacts) {
        for (Contact c : contacts) {
            for (Contact.Phone p : c.phones()) {
                if (p.e164() == null) {
                    if (++unparsed <= UNPARSED_LISTED) {
                        run.problem(false, null, c.displayName(), "Contact '" + c.displayName() + "' (" + book.source().id() + "): the number '"
                                + p.original() + "' is not a phone number of region " + (region == null ? "(none set)" : region)
                                + "; it is kept and found by its digits.");
                    }
                }
            }
        }
    }

    private void count(Contact.Source source, ContactStore.Changes c) {
        int[] n = counts.computeIfAbsent(source, k -> new int[3]);
        n[0] += c.added().size();
        n[1] += c.updated().size();
        n[2] += c.removed().size();
        changes.addAll(c);
    }

    private String summary() {
        List<String> parts = new ArrayList<>();
        counts.forEach((source, n) -> parts.add(String.format(Locale.ROOT, "%s %d added, %d updated, %d removed", source.id(), n[0], n[1], n[2])));
        StringBuilder sb = new StringBuilder("Contacts: ").append(parts.isEmpty() ? "no changes" : String.join("; ", parts)).append('.');
        if (failedMailboxes > 0) {
            sb.append(' ').append(failedMailboxes).append(" mailbox(es) or folder(s) could not be read (see the problems); their contacts were kept.");
        }
        if (withoutMailbox > 0) {
            sb.append(' ').append(withoutMailbox).append(" user(s) have no Exchange mailbox.");
        }
        if (unparsed > 0) {
            sb.append(' ').append(unparsed).append(" number(s) are not phone numbers of the region; kept and found by their digits")
                    .append(unparsed > UNPARSED_LISTED ? " (the first " + UNPARSED_LISTED + " are listed)." : ".");
        }
        return sb.toString();
    }

    private ContactStore.Book book(Contact.Source source, String ownerId, String mailbox, String folderId) {
        return new ContactStore.Book(jobs.realmId(), target.organizationId(), componentId, source, ownerId, mailbox, folderId);
    }

    private static String describe(ContactStore.Book book, String name) {
        return book.source() == Contact.Source.ORGANIZATION ? "the organizational contacts"
                : "mailbox " + book.mailbox() + " folder '" + name + "'";
    }

    private static String key(String mailbox, String folderId) {
        return mailbox + "\n" + folderId;
    }
}
