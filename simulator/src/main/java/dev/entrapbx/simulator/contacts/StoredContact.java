package dev.entrapbx.simulator.contacts;

/**
 * One Outlook contact as stored: its number in the mailbox (the id is derived from it), its folder, timestamps in
 * epoch seconds, a version for the change key, the mailbox change number of its last change (drives delta) and
 * its properties.
 */
public record StoredContact(long seq, long folderSeq, long createdEpochSecond, long modifiedEpochSecond, int version,
                           long changeSeq, ContactFields fields) { }
