package dev.entrapbx.simulator.http;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/** The JDK HTTPS server with a bounded worker pool, serving one {@link Dispatcher}. */
public final class SimulatorHttpServer implements AutoCloseable {
    private static final int WORKERS = 32;

    static {
        // The JDK server writes a response's headers and body as separate segments; without
        // TCP_NODELAY, Nagle's algorithm holds the body until the client's delayed ACK (about 40 ms),
        // so every small answer (a photo's metadata, a 404) would take 40 ms instead of well under
        // one. Read once, when the JDK's server configuration is first loaded.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpsServer server;
    private final ExecutorService executor;

    public SimulatorHttpServer(String host, int port, SSLContext sslContext) {
        try {
            server = HttpsServer.create(new InetSocketAddress(host, port), 256);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot listen on " + host + ":" + port, e);
        }
        server.setHttpsConfigurator(new HttpsConfigurator(sslContext) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters ssl = sslContext.getDefaultSSLParameters();
                ssl.setNeedClientAuth(false);
                params.setSSLParameters(ssl);
            }
        });
        executor = new ThreadPoolExecutor(WORKERS, WORKERS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                daemonThreads());
        ((ThreadPoolExecutor) executor).allowCoreThreadTimeOut(true);
        server.setExecutor(executor);
    }

    /** Starts answering requests (the socket is already bound, so {@link #port()} is known before). */
    public void start(Dispatcher dispatcher) {
        server.createContext("/", dispatcher);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "entra-simulator-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
