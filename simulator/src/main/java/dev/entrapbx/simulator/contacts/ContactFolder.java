package dev.entrapbx.simulator.contacts;

import java.util.Collections;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A contact folder of a mailbox. Mutable, guarded by its {@link Mailbox}: the contacts by number, the numbers of
 * contacts removed from it by the mailbox change number of the removal (delta reports them), and the generation its
 * delta tokens must carry (raised to expire them).
 */
public final class ContactFolder {
    private final long seq;
    private final long parentSeq;
    private final long createdEpochSecond;
    private String displayName;
    private long changeSeq;
    private int version;
    private long expiryGeneration;
    final TreeMap<Long, StoredContact> contacts = new TreeMap<>();
    /** change number of the removal -> contact number. */
    final TreeMap<Long, Long> removed = new TreeMap<>();

    ContactFolder(long seq, long parentSeq, String displayName, long changeSeq, long createdEpochSecond) {
        this.seq = seq;
        this.parentSeq = parentSeq;
        this.displayName = displayName;
        this.changeSeq = changeSeq;
        this.createdEpochSecond = createdEpochSecond;
    }

    public long seq() { return seq; }
    /** 0 for a folder at the top of the mailbox (its parent is the mailbox root). */
    public long parentSeq() { return parentSeq; }
    public String displayName() { return displayName; }
    public long changeSeq() { return changeSeq; }
    public int version() { return version; }
    public long createdEpochSecond() { return createdEpochSecond; }
    public long expiryGeneration() { return expiryGeneration; }

    /** Contacts by number (creation order); a live view, valid under the mailbox's lock only. */
    public NavigableMap<Long, StoredContact> contacts() { return Collections.unmodifiableNavigableMap(contacts); }

    /** Removals by change number; a live view, valid under the mailbox's lock only. */
    public NavigableMap<Long, Long> removed() { return Collections.unmodifiableNavigableMap(removed); }

    void rename(String name, long change) {
        this.displayName = name;
        this.changeSeq = change;
        this.version++;
    }

    void expire(long headChange) {
        expiryGeneration++;
        removed.headMap(headChange, true).clear(); // no valid token can ask for them any more
    }
}
