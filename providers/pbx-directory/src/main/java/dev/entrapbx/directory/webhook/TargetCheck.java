package dev.entrapbx.directory.webhook;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Where a webhook may point: an absolute {@code https} URL without user info or fragment, whose
 * host resolves, and resolves only to public addresses: loopback, private (RFC 1918), carrier-grade
 * NAT, link-local, unique-local (fc00::/7), unspecified, multicast and reserved addresses are
 * refused unless the server option {@value WebhookOptions#ALLOW_PRIVATE_TARGETS} allows them. The
 * check runs when a webhook is saved and again before each delivery (a name may resolve elsewhere
 * later). Messages say what to fix.
 */
final class TargetCheck {

    static final int MAX_LENGTH = 2048;

    /** Name resolution (the JVM's resolver in production; a fixed table in tests). */
    @FunctionalInterface
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    static final Resolver DNS = InetAddress::getAllByName;

    private final boolean allowPrivate;
    private final Resolver resolver;

    TargetCheck(boolean allowPrivate, Resolver resolver) {
        this.allowPrivate = allowPrivate;
        this.resolver = resolver;
    }

    /**
     * The URL, checked.
     *
     * @throws IllegalArgumentException saying what to fix
     */
    URI check(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new IllegalArgumentException("'url' is required: the https URL the PBX backend receives webhooks on.");
        }
        String url = raw.strip();
        if (url.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("The webhook URL is longer than " + MAX_LENGTH + " characters.");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("The webhook URL '" + url + "' is not a valid URL (" + e.getReason() + ").");
        }
        if (!uri.isAbsolute() || uri.isOpaque()) {
            throw new IllegalArgumentException("The webhook URL '" + url + "' must be absolute, such as https://pbx.example.com/webhooks/keycloak.");
        }
        if (!"https".equals(uri.getScheme().toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("The webhook URL '" + url + "' must use https (deliveries carry directory data); use https://"
                    + (uri.getRawAuthority() == null ? "..." : uri.getRawAuthority()) + (uri.getRawPath() == null ? "" : uri.getRawPath()) + ".");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("The webhook URL must not contain a user name or password (user@host): deliveries are"
                    + " authenticated by their signature; remove the part before '@'.");
        }
        if (uri.getRawFragment() != null) {
            throw new IllegalArgumentException("The webhook URL must not have a fragment ('#...'): remove it.");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("The webhook URL '" + url + "' has no valid host name.");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("The webhook URL's host '" + host + "' does not resolve: check the name (DNS).");
        }
        if (addresses == null || addresses.length == 0) {
            throw new IllegalArgumentException("The webhook URL's host '" + host + "' does not resolve: check the name (DNS).");
        }
        if (!allowPrivate) {
            for (InetAddress a : addresses) {
                String kind = nonPublic(a);
                if (kind != null) {
                    String what = isLiteral(host) ? "is " + a.getHostAddress() : "resolves to " + a.getHostAddress();
                    throw new IllegalArgumentException("The webhook URL's host '" + host + "' " + what + ", a " + kind
                            + " address: webhooks go to public addresses only. Use the PBX backend's public host name; for development"
                            + " and tests, start Keycloak with " + WebhookOptions.ALLOW_PRIVATE_TARGETS_OPTION + "=true.");
                }
            }
        }
        return uri;
    }

    private static boolean isLiteral(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
    }

    /** What kind of non-public address this is, or null for a public one. */
    static String nonPublic(InetAddress a) {
        if (a.isAnyLocalAddress()) {
            return "unspecified";
        }
        if (a.isLoopbackAddress()) {
            return "loopback";
        }
        if (a.isLinkLocalAddress()) {
            return "link-local";
        }
        if (a.isMulticastAddress()) {
            return "multicast";
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            return nonPublic4(b);
        }
        if (a instanceof Inet6Address) {
            int b0 = b[0] & 0xff;
            if ((b0 & 0xfe) == 0xfc) {
                return "unique-local (fc00::/7)";
            }
            if (b0 == 0xfe && (b[1] & 0xc0) == 0xc0) {
                return "site-local (fec0::/10)";
            }
            if (isZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
                return nonPublic4(new byte[] {b[12], b[13], b[14], b[15]}); // IPv4-mapped
            }
            if (isZero(b, 0, 12)) {
                return "reserved (IPv4-compatible)";
            }
            if ((b0 == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b)) {
                String inner = nonPublic4(new byte[] {b[12], b[13], b[14], b[15]}); // NAT64 64:ff9b::/96
                return inner;
            }
            if (b0 == 0x20 && (b[1] & 0xff) == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) {
                return "documentation (2001:db8::/32)";
            }
            return null;
        }
        return "unknown";
    }

    private static String nonPublic4(byte[] b) {
        int b0 = b[0] & 0xff;
        int b1 = b[1] & 0xff;
        if (b0 == 0) {
            return "unspecified (0.0.0.0/8)";
        }
        if (b0 == 127) {
            return "loopback";
        }
        if (b0 == 10 || (b0 == 172 && (b1 & 0xf0) == 16) || (b0 == 192 && b1 == 168)) {
            return "private (RFC 1918)";
        }
        if (b0 == 100 && (b1 & 0xc0) == 64) {
            return "carrier-grade NAT (100.64.0.0/10)";
        }
        if (b0 == 169 && b1 == 254) {
            return "link-local";
        }
        if (b0 == 192 && b1 == 0 && (b[2] & 0xff) == 0) {
            return "reserved (192.0.0.0/24)";
        }
        if (b0 == 198 && (b1 & 0xfe) == 18) {
            return "benchmarking (198.18.0.0/15)";
        }
        if (b0 >= 224) {
            return b0 < 240 ? "multicast" : "reserved (240.0.0.0/4)";
        }
        return null;
    }

    private static boolean isZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
