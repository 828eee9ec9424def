package dev.entrapbx.sync;

import dev.entrapbx.graph.GraphException;
import dev.entrapbx.kc.ContactsTouched;
import dev.entrapbx.kc.Db;
import dev.entrapbx.sync.contacts.Contact;
import dev.entrapbx.sync.contacts.ContactStore;
import dev.entrapbx.sync.contacts.PersonalSchedule;
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
import org.keycloak.models.KeycloakSession;

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
    /** Planner statistics of the contact tables, refreshed as this run doubles the contacts it added. */
    private PlannerStatistics statistics;
    private long added;

    private final Map<Contact.Source, int[]> counts = new LinkedHashMap<>(); // {added, updated, removed}
    private int failedMailboxes;
    private int withoutMailbox;
    private int unparsed;
    private int personalRead;
    private int personalTotal;

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

    /**
     * Reads every source that is on and removes what belongs to sources that are off. False when a
     * source, mailbox or folder could not be read (the run is then PARTIAL).
     *
     * @param synced        the component's synced users (object id -> user), for personal contacts
     * @param fullSync      a full sync reads every personal mailbox; a changed one its share ({@link PersonalSchedule})
     * @param periodSeconds the component's changed-sync period (0: none)
     */
    boolean run(Map<String, SyncedUser> synced, boolean fullSync, int periodSeconds) {
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
        statistics = PlannerStatistics.start(jobs.factory(), PlannerStatistics.CONTACT_TABLES);
        Set<String> read = new HashSet<>(); // folders read (or attempted) this run: the others are gone
        boolean ok = true;
        if (config.contactsOrganizational()) {
            ok &= readOrganizational(stored, read);
        }
        boolean allSharedResolved = true;
        List<FolderRead> folders = new ArrayList<>();
        Set<String> sharedIds = new HashSet<>();
        for (String address : config.contactsSharedMailboxes()) {
            Optional<GraphContacts.Mailbox> mailbox = resolve(address);
            if (mailbox.isEmpty()) {
                allSharedResolved = false;
                ok = false;
                continue;
            }
            if (sharedIds.add(mailbox.get().id())) {
                ok &= plan(Contact.Source.COMPANY, null, mailbox.get().id(), address, stored, read, folders);
            }
        }
        if (config.contactsPersonal()) {
            List<String> candidates = new ArrayList<>();
            for (Map.Entry<String, SyncedUser> u : synced.entrySet()) {
                if (sharedIds.contains(u.getKey())) {
                    run.note("Contacts: mailbox " + u.getKey() + " is listed as a shared mailbox, so its contacts are the company phone "
                            + "book, not that user's personal contacts.");
                } else if (u.getValue().enabled()) {
                    candidates.add(u.getKey());
                }
            }
            // spread over the refresh time: this run reads its share, those read longest ago (new ones) first
            Map<String, Long> lastRead = new HashMap<>();
            for (ContactStore.FolderState f : stored.values()) {
                if (f.source() == Contact.Source.PERSONAL) {
                    lastRead.merge(f.mailbox(), f.syncedAt(), Math::min);
                }
            }
            int budget = PersonalSchedule.budget(candidates.size(), fullSync, periodSeconds, config.contactsPersonalRefreshMinutes());
            Set<String> due = new HashSet<>(PersonalSchedule.due(candidates, lastRead, budget));
            for (String oid : candidates) {
                if (due.contains(oid)) {
                    ok &= plan(Contact.Source.PERSONAL, synced.get(oid).userId(), oid, oid, stored, read, folders);
                } else {
                    markRead(oid, stored, read); // read in another run of the refresh time: kept as they are
                }
            }
            personalRead = due.size();
            personalTotal = candidates.size();
        }
        ok &= readBatched(folders, stored, read);
        // what is no longer read: a source switched off, a mailbox off the list, a user gone, a folder gone in Outlook
        for (ContactStore.FolderState f : stored.values()) {
            if (read.contains(key(f.mailbox(), f.folderId()))) {
                continue;
            }
            if (f.source() == Contact.Source.COMPANY && !allSharedResolved && config.contactsSharedMailboxes().size() > 0) {
                continue; // a listed mailbox could not be looked up: it may be this one, so nothing is removed
            }
            jobs.run(s -> Db.run(s, "Contacts", db -> {
                count(s, f.source(), f.ownerId(), ContactStore.removeFolder(db, componentId, f.mailbox(), f.folderId()));
                return null;
            }));
        }
        run.note(summary());
        return ok;
    }

    /** A mailbox's folders to read (the default one, or all of them); false when its folders could not be listed. */
    private boolean plan(Contact.Source source, String ownerId, String mailbox, String label, Map<String, ContactStore.FolderState> stored,
                         Set<String> read, List<FolderRead> out) {
        List<GraphContacts.Folder> folders = new ArrayList<>();
        folders.add(new GraphContacts.Folder(GraphContacts.DEFAULT_FOLDER, "Contacts", null));
        if (config.contactsFolders() == EntraSyncConfig.ContactFolders.ALL) {
            try {
                folders.addAll(graph.folders(mailbox)); // the folders in the default one, nested ones included
            } catch (GraphException e) {
                if (source == Contact.Source.PERSONAL && noMailbox(e)) {
                    withoutMailbox++;
                    return true; // no mailbox (any more): no personal contacts
                }
                markRead(mailbox, stored, read); // its folders keep their contacts
                return failed(source, mailbox, label, e);
            }
        }
        for (GraphContacts.Folder f : folders) {
            ContactStore.Book book = book(source, ownerId, mailbox, f.id());
            read.add(key(mailbox, f.id()));
            ContactStore.FolderState state = stored.get(key(mailbox, f.id()));
            out.add(new FolderRead(book, f.displayName(), label, state == null ? null : state.deltaLink()));
        }
        return true;
    }

    /** A folder being read in batches: where it is in its delta round, and what a full round has seen. */
    private static final class FolderRead {
        final ContactStore.Book book;
        final String name;
        final String label;
        String link;
        boolean full;
        final Set<String> seen = new HashSet<>();

        FolderRead(ContactStore.Book book, String name, String label, String link) {
            this.book = book;
            this.name = name;
            this.label = label;
            this.link = link;
            this.full = link == null;
        }
    }

    /**
     * Reads the mailboxes' folders {@value dev.entrapbx.sync.graph.GraphDirectory#BATCH_LIMIT} at a time
     * through Graph's JSON batch, at most one request per mailbox in each batch (Outlook allows four
     * at once per mailbox); a folder with more pages goes back in the queue with its nextLink.
     */
    private boolean readBatched(List<FolderRead> folders, Map<String, ContactStore.FolderState> stored, Set<String> read) {
        java.util.ArrayDeque<FolderRead> queue = new java.util.ArrayDeque<>(folders);
        Set<String> failedMailboxIds = new HashSet<>();
        boolean ok = true;
        while (!queue.isEmpty()) {
            List<FolderRead> batch = new ArrayList<>();
            Set<String> mailboxes = new HashSet<>();
            List<FolderRead> later = new ArrayList<>();
            while (!queue.isEmpty() && batch.size() < dev.entrapbx.sync.graph.GraphDirectory.BATCH_LIMIT) {
                FolderRead f = queue.poll();
                if (failedMailboxIds.contains(f.book.mailbox())) {
                    continue; // the mailbox does not answer: its other folders are kept as they are
                }
                (mailboxes.add(f.book.mailbox()) ? batch : later).add(f);
            }
            later.forEach(queue::addFirst);
            if (batch.isEmpty()) {
                break;
            }
            Map<GraphContacts.DeltaRequest, FolderRead> byRequest = new LinkedHashMap<>();
            for (FolderRead f : batch) {
                byRequest.put(new GraphContacts.DeltaRequest(f.book.mailbox(), f.book.folderId(), f.link), f);
            }
            Map<GraphContacts.DeltaRequest, GraphContacts.DeltaResult> answers;
            try {
                answers = graph.contactsDelta(new ArrayList<>(byRequest.keySet()), region);
            } catch (GraphException e) {
                answers = new LinkedHashMap<>();
                for (GraphContacts.DeltaRequest r : byRequest.keySet()) {
                    answers.put(r, new GraphContacts.DeltaResult(null, e));
                }
            }
            for (Map.Entry<GraphContacts.DeltaRequest, FolderRead> e : byRequest.entrySet()) {
                FolderRead f = e.getValue();
                GraphContacts.DeltaResult result = answers.get(e.getKey());
                if (result == null || result.failure() != null) {
                    GraphException failure = result == null ? new GraphException("Graph's batch answer left this folder out", 0, null, null)
                            : result.failure();
                    switch (onFailure(f, failure, read)) {
                        case RETRY -> queue.add(f);
                        case DONE -> { }
                        case FAILED -> {
                            ok = false;
                            if (isMailboxLevel(failure)) {
                                failedMailboxIds.add(f.book.mailbox());
                                markRead(f.book.mailbox(), stored, read);
                            }
                        }
                    }
                    continue;
                }
                if (apply(f, result.page())) {
                    queue.add(f); // more pages
                }
            }
        }
        return ok;
    }

    private enum Outcome { RETRY, DONE, FAILED }

    /** A folder's failed request: an expired link starts a full round, a gone folder or mailbox ends it, anything else fails it. */
    private Outcome onFailure(FolderRead f, GraphException e, Set<String> read) {
        if (e.deltaTokenExpired() && !f.full) {
            run.note("Contacts of " + describe(f.book, f.name) + ": the delta link expired; the folder was read in full.");
            f.link = null;
            f.full = true;
            f.seen.clear();
            return Outcome.RETRY;
        }
        if (f.book.source() == Contact.Source.PERSONAL && noMailbox(e)) {
            withoutMailbox++;
            read.remove(key(f.book.mailbox(), f.book.folderId())); // no mailbox (any more): no personal contacts
            return Outcome.DONE;
        }
        if (e.status() == 404 && !GraphContacts.DEFAULT_FOLDER.equals(f.book.folderId()) && "ErrorItemNotFound".equalsIgnoreCase(e.code())) {
            read.remove(key(f.book.mailbox(), f.book.folderId())); // the folder is gone: removed with its contacts
            return Outcome.DONE;
        }
        saveFolder(f.book, f.name, Optional.empty(), "failed", e.getMessage());
        failed(f.book.source(), f.book.mailbox(), f.label, e);
        return Outcome.FAILED;
    }

    /** Writes a page of a folder (a transaction of its own); at the round's end, completes the folder. True when more pages follow. */
    private boolean apply(FolderRead f, GraphContacts.ContactPage page) {
        List<Contact> contacts = page.contacts();
        contacts.forEach(c -> f.seen.add(c.graphId()));
        noteUnparsed(f.book, contacts);
        boolean last = page.nextLink() == null;
        jobs.run(s -> Db.run(s, "Contacts", db -> {
            long now = clock.millis();
            ContactStore.Changes changed = ContactStore.upsert(db, f.book, contacts, now);
            changed.addAll(ContactStore.remove(db, f.book, page.removed()));
            if (last) {
                if (f.full) {
                    changed.addAll(ContactStore.removeUnseen(db, f.book, f.seen)); // only after the whole folder was read
                }
                ContactStore.saveFolder(db, f.book, f.name, Optional.of(page.deltaLink()), "ok", null, now);
            }
            count(s, f.book.source(), f.book.ownerId(), changed);
            return null;
        }));
        statistics.afterSlice(added);
        if (!last) {
            f.link = page.nextLink();
        }
        return !last;
    }

    /** The tenant's organizational contacts: one delta round through {@code /contacts/delta}. */
    private boolean readOrganizational(Map<String, ContactStore.FolderState> stored, Set<String> read) {
        ContactStore.Book book = book(Contact.Source.ORGANIZATION, null, ContactStore.TENANT, ContactStore.ORG_CONTACTS_FOLDER);
        read.add(key(book.mailbox(), book.folderId()));
        ContactStore.FolderState state = stored.get(key(book.mailbox(), book.folderId()));
        FolderRead f = new FolderRead(book, "organizational contacts", "organizational contacts", state == null ? null : state.deltaLink());
        while (true) {
            GraphContacts.ContactPage page;
            try {
                page = graph.orgContactsDelta(f.link, region);
            } catch (GraphException e) {
                Outcome outcome = onFailure(f, e, read);
                if (outcome == Outcome.RETRY) {
                    continue;
                }
                return outcome == Outcome.DONE;
            }
            if (!apply(f, page)) {
                return true;
            }
        }
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

    /** Records a mailbox or folder Graph could not read (callers have handled a user without a mailbox); always false. */
    private boolean failed(Contact.Source source, String mailbox, String label, GraphException e) {
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

    /** Counts a transaction's changes and tells the directory's change feed about them (in that transaction). */
    private void count(KeycloakSession s, Contact.Source source, String ownerId, ContactStore.Changes c) {
        count(source, c);
        List<ContactsTouched.Change> feed = new ArrayList<>(c.size());
        c.added().forEach(id -> feed.add(new ContactsTouched.Change(id, "added", source.id(), ownerId)));
        c.updated().forEach(id -> feed.add(new ContactsTouched.Change(id, "updated", source.id(), ownerId)));
        c.removed().forEach(id -> feed.add(new ContactsTouched.Change(id, "removed", source.id(), ownerId)));
        ContactsTouched.publish(s, jobs.realmId(), target.organizationId(), feed);
    }

    private void count(Contact.Source source, ContactStore.Changes c) {
        added += c.added().size();
        int[] n = counts.computeIfAbsent(source, k -> new int[3]);
        n[0] += c.added().size();
        n[1] += c.updated().size();
        n[2] += c.removed().size();
    }

    private String summary() {
        List<String> parts = new ArrayList<>();
        counts.forEach((source, n) -> parts.add(String.format(Locale.ROOT, "%s %d added, %d updated, %d removed", source.id(), n[0], n[1], n[2])));
        StringBuilder sb = new StringBuilder("Contacts: ").append(parts.isEmpty() ? "no changes" : String.join("; ", parts)).append('.');
        if (personalRead < personalTotal) {
            sb.append(String.format(Locale.ROOT, " Personal contacts: %d of %d mailboxes read in this run (each is read once per %d minutes).",
                    personalRead, personalTotal, config.contactsPersonalRefreshMinutes()));
        }
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
