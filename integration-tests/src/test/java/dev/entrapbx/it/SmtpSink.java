package dev.entrapbx.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A minimal SMTP server on 127.0.0.1 (plain, no auth) that keeps every message Keycloak sends, so
 * tests can read the emails. Understands just what Jakarta Mail says: EHLO/HELO, MAIL, RCPT, DATA,
 * RSET, NOOP, QUIT.
 */
final class SmtpSink implements AutoCloseable {

    /** One received message: envelope recipients, raw text and its decoded text/html parts. */
    record Mail(List<String> recipients, String raw) {
        String subject() {
            Matcher m = Pattern.compile("(?m)^Subject: (.*)$").matcher(raw);
            return m.find() ? m.group(1).strip() : "";
        }

        /** The decoded body of the first part with this content type (text/html, text/plain). */
        String part(String contentType) {
            String[] sections = raw.split("(?m)^--");
            for (String s : sections) {
                int headerEnd = s.indexOf("\r\n\r\n");
                if (headerEnd < 0) {
                    continue;
                }
                String headers = s.substring(0, headerEnd);
                if (!headers.toLowerCase().contains("content-type: " + contentType)) {
                    continue;
                }
                String body = s.substring(headerEnd + 4);
                String lower = headers.toLowerCase();
                if (lower.contains("content-transfer-encoding: base64")) {
                    return new String(Base64.getMimeDecoder().decode(body.strip()), StandardCharsets.UTF_8);
                }
                if (lower.contains("content-transfer-encoding: quoted-printable")) {
                    return quotedPrintable(body);
                }
                return body;
            }
            return null;
        }
    }

    private final ServerSocket server;
    private final List<Mail> mails = new CopyOnWriteArrayList<>();
    private final Thread thread;

    SmtpSink() throws IOException {
        server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        thread = new Thread(this::serve, "smtp-sink");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** How many mails {@code recipient} received so far. */
    int count(String recipient) {
        return (int) mails.stream().filter(m -> m.recipients().contains(recipient)).count();
    }

    List<Mail> mails() {
        return List.copyOf(mails);
    }

    /** Waits (polling) up to 30 s for a message that matches. */
    Mail await(Predicate<Mail> match) throws InterruptedException {
        Instant end = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(end)) {
            for (Mail m : mails) {
                if (match.test(m)) {
                    return m;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no matching email within 30 s; received: " + mails.stream().map(Mail::subject).toList());
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                s.setSoTimeout(30_000);
                session(s);
            } catch (IOException e) {
                // closed, or a client gave up: next connection
            }
        }
    }

    private void session(Socket s) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
        OutputStream out = s.getOutputStream();
        reply(out, "220 smtp-sink ready");
        List<String> rcpt = new ArrayList<>();
        String line;
        while ((line = in.readLine()) != null) {
            String cmd = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
            switch (cmd) {
                case "EHLO" -> reply(out, "250-smtp-sink\r\n250 8BITMIME");
                case "HELO", "NOOP" -> reply(out, "250 ok");
                case "MAIL" -> {
                    rcpt.clear();
                    reply(out, "250 ok");
                }
                case "RCPT" -> {
                    rcpt.add(line.substring(line.indexOf(':') + 1).replaceAll("[<>\\s]", ""));
                    reply(out, "250 ok");
                }
                case "RSET" -> {
                    rcpt.clear();
                    reply(out, "250 ok");
                }
                case "DATA" -> {
                    reply(out, "354 end with <CRLF>.<CRLF>");
                    StringBuilder data = new StringBuilder();
                    String l;
                    while ((l = in.readLine()) != null && !l.equals(".")) {
                        data.append(l.startsWith("..") ? l.substring(1) : l).append("\r\n");
                    }
                    String raw = new String(data.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
                    mails.add(new Mail(List.copyOf(rcpt), raw));
                    reply(out, "250 queued");
                }
                case "QUIT" -> {
                    reply(out, "221 bye");
                    return;
                }
                default -> reply(out, "502 not implemented");
            }
        }
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    static String quotedPrintable(String body) {
        String joined = body.replace("=\r\n", "");
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < joined.length(); i++) {
            char c = joined.charAt(i);
            if (c == '=' && i + 2 < joined.length() && isHex(joined.charAt(i + 1)) && isHex(joined.charAt(i + 2))) {
                bytes.write(Integer.parseInt(joined.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                bytes.write((byte) c);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
