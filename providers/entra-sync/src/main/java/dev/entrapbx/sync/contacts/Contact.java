package dev.entrapbx.sync.contacts;

import java.util.List;

/**
 * A contact as Graph gave it, with its numbers normalised: an Outlook {@code contact} (personal or a
 * shared mailbox's) or an {@code orgContact}. {@code graphId} is Graph's id (unique per mailbox, or
 * per tenant for organizational contacts).
 */
public record Contact(String graphId, String folderId, String displayName, String givenName, String surname, String company,
                      String jobTitle, String department, List<String> emails, List<Phone> phones) {

    public Contact {
        emails = emails == null ? List.of() : List.copyOf(emails);
        phones = phones == null ? List.of() : List.copyOf(phones);
    }

    /** One number: {@code kind} as Graph names it (business, home, mobile, businessFax, ...), the text as written, E.164 when it parses. */
    public record Phone(String kind, String original, String e164, String digits) {

        public static Phone of(String kind, String text, String region) {
            PhoneNumbers.Normalised n = PhoneNumbers.normalise(text, region);
            return new Phone(kind, n.original(), n.e164(), n.digits());
        }
    }

    /** Where a contact comes from, and who may see it. */
    public enum Source {
        /** A synced user's own Outlook contacts: visible to that user and the directory role. */
        PERSONAL("personal"),
        /** A shared mailbox's contacts: the phone system's company phone book. */
        COMPANY("company"),
        /** The tenant's organizational contacts (Exchange mail contacts). */
        ORGANIZATION("organization");

        private final String id;

        Source(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        public static Source of(String id) {
            for (Source s : values()) {
                if (s.id.equals(id)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown contact source " + id);
        }
    }
}
