package dev.entrapbx.simulator.contacts;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * Outlook-style item ids, computed instead of stored: base64 (with Exchange's {@code -}/{@code _} for
 * {@code /}/{@code +} and {@code =} padding, as Graph shows them, e.g. {@code AAMkADNkNAAASq35xAAA=}) of the mailbox
 * owner's object id, a kind byte and the item's number in the mailbox. A client must treat them as opaque, case-sensitive
 * strings, as with Graph; the simulator decodes them to find the item without an index.
 */
public final class OutlookIds {
    /** What an id names. */
    public enum Kind {
        ROOT((byte) 'R'), FOLDER((byte) 'F'), CONTACT((byte) 'C');

        final byte tag;

        Kind(byte tag) {
            this.tag = tag;
        }
    }

    /** A decoded id. */
    public record Decoded(UUID mailbox, Kind kind, long seq) { }

    private static final byte[] PREFIX = {0x00, 0x00, 0x32, 0x24, 0x00};
    private static final int PADDING = 40;
    private static final int LENGTH = PREFIX.length + 16 + 1 + PADDING + 8;

    private OutlookIds() { }

    public static String encode(UUID mailbox, Kind kind, long seq) {
        ByteBuffer b = ByteBuffer.allocate(LENGTH);
        b.put(PREFIX).putLong(mailbox.getMostSignificantBits()).putLong(mailbox.getLeastSignificantBits()).put(kind.tag);
        b.position(b.position() + PADDING);
        b.putLong(seq);
        return Base64.getEncoder().encodeToString(b.array()).replace('/', '-').replace('+', '_');
    }

    public static Optional<Decoded> decode(String id) {
        if (id == null || id.length() != encodedLength()) {
            return Optional.empty();
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(id.replace('-', '/').replace('_', '+'));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (raw.length != LENGTH) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(raw);
        for (byte p : PREFIX) {
            if (b.get() != p) {
                return Optional.empty();
            }
        }
        UUID mailbox = new UUID(b.getLong(), b.getLong());
        byte tag = b.get();
        b.position(b.position() + PADDING);
        long seq = b.getLong();
        for (Kind k : Kind.values()) {
            if (k.tag == tag) {
                return Optional.of(new Decoded(mailbox, k, seq));
            }
        }
        return Optional.empty();
    }

    /** Exchange's change key: base64 of a version stamp that changes with every modification. */
    public static String changeKey(long seq, int version) {
        ByteBuffer b = ByteBuffer.allocate(22);
        b.put(new byte[] {0x11, 0x00, 0x00, 0x00, 0x16, 0x00, 0x00, 0x00, 0x00, 0x00}).putLong(seq).putInt(version);
        return Base64.getEncoder().encodeToString(b.array()).replace('/', '-').replace('+', '_');
    }

    private static int encodedLength() {
        return (LENGTH + 2) / 3 * 4;
    }
}
