package dev.entrapbx.it;

import dev.entrapbx.simulator.EntraSimulator;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium, headless, driven through Debian's chromedriver. The simulator's certificate
 * is trusted by pinning its public key ({@code --ignore-certificate-errors-spki-list}); no other
 * certificate error is ignored.
 */
final class HeadlessChromium {

    static final Path CHROMIUM = Path.of(System.getProperty("entrapbx.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("entrapbx.chromedriver", "/usr/bin/chromedriver"));
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private HeadlessChromium() {
    }

    static ChromeDriver start(List<X509Certificate> trusted, int width, int height) throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("Browser tests need Debian's Chromium and chromedriver at " + CHROMIUM + " and "
                    + CHROMEDRIVER + ": run ./test (it installs them with apt-get) or 'apt-get install chromium chromium-driver'.");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync",
                "--disable-quic", "--window-size=" + width + "," + height,
                "--user-data-dir=" + Files.createTempDirectory("entrapbx-chromium"));
        if (!trusted.isEmpty()) {
            options.addArguments("--ignore-certificate-errors-spki-list="
                    + String.join(",", trusted.stream().map(HeadlessChromium::spki).toList()));
        }
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        return driver;
    }

    /** The certificates the simulator presents, to pin in Chromium. */
    static List<X509Certificate> serverCertificates(EntraSimulator sim) throws Exception {
        URI base = URI.create(sim.baseUrl());
        try (SSLSocket socket = (SSLSocket) sim.sslContext().getSocketFactory().createSocket(base.getHost(), base.getPort())) {
            socket.startHandshake();
            return Arrays.stream(socket.getSession().getPeerCertificates()).map(c -> (X509Certificate) c).toList();
        }
    }

    /** base64(sha256(SubjectPublicKeyInfo)), the form Chromium's SPKI allow-list takes. */
    static String spki(X509Certificate cert) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(cert.getPublicKey().getEncoded()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Path screenshot(ChromeDriver driver, String name) throws Exception {
        Files.createDirectories(SCREENSHOTS);
        Path file = SCREENSHOTS.resolve(name + ".png").toAbsolutePath();
        Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        return file;
    }
}
