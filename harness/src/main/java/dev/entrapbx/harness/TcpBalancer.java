package dev.entrapbx.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP load balancer on loopback in front of the cluster's nodes, passing TLS through (as a
 * layer-4 balancer in production does): every node serves the same hostname and certificate.
 * New connections go round robin to the nodes that accept them, or all to one node after
 * {@link #pin(int)}: a test decides where the next request lands. Connections already open stay
 * where they are, as with a real balancer.
 */
public final class TcpBalancer implements AutoCloseable {

    private final ServerSocket server;
    private final List<InetSocketAddress> nodes;
    private final AtomicInteger next = new AtomicInteger();
    private volatile int pinned = -1;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;

    public TcpBalancer(int port, List<InetSocketAddress> nodes) {
        this.nodes = List.copyOf(nodes);
        try {
            server = new ServerSocket(port, 200, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException("The load balancer cannot listen on port " + port + ": " + e.getMessage(), e);
        }
        acceptor = new Thread(this::accept, "tcp-balancer-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** New connections go to node {@code index} only (-1: round robin again). */
    public void pin(int index) {
        if (index < -1 || index >= nodes.size()) {
            throw new IllegalArgumentException("No node " + index);
        }
        pinned = index;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Thread t = new Thread(() -> connect(client), "tcp-balancer-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (!server.isClosed()) {
                    System.err.println("[balancer] accept failed: " + e.getMessage());
                }
            }
        }
    }

    private void connect(Socket client) {
        open.add(client);
        int first = pinned >= 0 ? pinned : Math.floorMod(next.getAndIncrement(), nodes.size());
        // a node that refuses the connection (stopped, killed) is skipped, unless the test pinned it
        int tries = pinned >= 0 ? 1 : nodes.size();
        for (int i = 0; i < tries; i++) {
            InetSocketAddress target = nodes.get((first + i) % nodes.size());
            Socket upstream = new Socket();
            try {
                upstream.connect(target, 2000);
            } catch (IOException refused) {
                closeQuietly(upstream);
                continue;
            }
            open.add(upstream);
            pump(client, upstream);
            pump(upstream, client);
            return;
        }
        closeQuietly(client);
        open.remove(client);
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException closed) {
                // either side went away
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "tcp-balancer-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        open.forEach(TcpBalancer::closeQuietly);
    }
}
