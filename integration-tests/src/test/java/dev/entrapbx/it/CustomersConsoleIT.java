package dev.entrapbx.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.entrapbx.harness.Customer;
import dev.entrapbx.harness.EntraPbxStack;
import dev.entrapbx.harness.KeycloakAdminClient;
import dev.entrapbx.harness.KeycloakServer;
import dev.entrapbx.harness.TestRealm;
import dev.entrapbx.simulator.fault.FaultRule;
import dev.entrapbx.simulator.model.User;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The Microsoft 365 customers page ({@code /realms/<sign-in realm>/entra-pbx-console/#/<realm>}) in
 * headless Chromium, signed in as the master realm's admin: a healthy customer, an expiring secret,
 * a missing permission, a guarded run, Sync now with live progress, Confirm, the certificate
 * download, a 360 px layout and keyboard use. Screenshots: integration-tests/target/screenshots/.
 */
@ExtendWith(SharedStack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CustomersConsoleIT {

    EntraPbxStack stack;
    KeycloakAdminClient admin;
    TestRealm realm;
    ChromeDriver browser;
    WebDriverWait wait;
    Customer healthy;
    Customer expiring;
    Customer missing;
    Customer guarded;
    String healthySync;
    String guardedSync;

    @BeforeAll
    void setUp(EntraPbxStack stack) throws Exception {
        this.stack = stack;
        this.admin = stack.keycloak().admin();
        this.realm = TestRealm.create(admin, "console-page-it");

        healthy = Customer.in(stack, realm, "pg-healthy").displayName("Healthy Hospital").permissions(Customer.SYNC_PERMISSIONS).create();
        for (int i = 0; i < 5; i++) {
            healthy.entraUser("h" + i);
        }
        healthy.directory().generateUsers(healthy.tenantId(), 2000, healthy.domain(), "g");
        healthy.updateIdp(Map.of("entraSecretExpiresOn", LocalDate.now().plusDays(200).toString()));
        healthySync = healthy.createSync("healthy-sync", Map.of("syncPhotos", "false"));

        expiring = Customer.in(stack, realm, "pg-expiring").displayName("Expiring Estates").create();
        expiring.updateIdp(Map.of("entraSecretExpiresOn", LocalDate.now().plusDays(10).toString()));

        missing = Customer.in(stack, realm, "pg-missing").displayName("Missing Permission Ltd").permissions("User.Read.All").create();
        missing.createSync("missing-sync", Map.of("syncPhotos", "false"));

        guarded = Customer.in(stack, realm, "pg-guarded").displayName("Guarded Group").permissions(Customer.SYNC_PERMISSIONS).create();
        List<User> users = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            users.add(guarded.entraUser("u" + i));
        }
        guardedSync = guarded.createSync("guarded-sync", Map.of("syncPhotos", "false", "guardMaxPercent", "25", "guardMaxUsers", "50"));
        guarded.sync(guardedSync, true);
        for (int i = 0; i < 10; i++) {
            guarded.directory().hardDeleteUser(guarded.tenantId(), users.get(i).id());
        }
        assertThat(guarded.sync(guardedSync, true).path("removed").asInt()).isZero();
        assertThat(guarded.lastRun(guardedSync).path("status").asText()).isEqualTo("GUARDED");

        browser = HeadlessChromium.start(List.of(), 1400, 1000);
        wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        browser.get(page(""));
        wait.until(ExpectedConditions.elementToBeClickable(By.id("username"))).sendKeys(KeycloakServer.ADMIN_USER);
        browser.findElement(By.id("password")).sendKeys(KeycloakServer.ADMIN_PASSWORD);
        browser.findElement(By.id("kc-login")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("table.customers")));
    }

    @AfterEach
    void clearFaults() {
        stack.simulator().faults().clear();
    }

    @AfterAll
    void quit() {
        if (browser != null) {
            browser.quit();
        }
    }

    private String page(String fragment) {
        return stack.keycloak().baseUrl() + "/realms/master/entra-pbx-console/#/" + realm.name() + fragment;
    }

    private void open(String fragment) {
        browser.get(page(fragment));
        browser.navigate().refresh(); // a new fragment alone does not reload; the page renders from the hash
    }

    private String row(String name) {
        wait.until(d -> d.findElement(By.tagName("main")).getText().contains(name));
        for (WebElement tr : browser.findElements(By.cssSelector("table.customers tbody tr"))) {
            if (tr.getText().contains(name)) {
                return tr.getText();
            }
        }
        throw new AssertionError("no row for " + name);
    }

    @Test
    void theListShowsEachCustomersCredentialAndSyncAtAGlance() throws Exception {
        open("");
        assertThat(row("Healthy Hospital")).contains(healthy.tenantId()).contains("secret").contains("day(s) left");
        assertThat(row("Missing Permission Ltd")).contains("never ran");
        assertThat(row("Expiring Estates")).containsPattern("(9|10) day\\(s\\) left").contains("no sync");
        assertThat(row("Guarded Group")).contains("guard holds removals");
        WebElement credential = browser.findElements(By.cssSelector("table.customers tbody tr")).stream()
                .filter(tr -> tr.getText().contains("Expiring Estates")).findFirst().orElseThrow().findElement(By.cssSelector("td:nth-child(3) span"));
        assertThat(credential.getAttribute("class")).isEqualTo("warn");
        HeadlessChromium.screenshot(browser, "console-customers");
    }

    @Test
    void syncNowShowsLiveProgressAndTheRunLogHasTheRun() throws Exception {
        open("/" + healthy.orgAlias());
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sync-full")));
        assertThat(browser.findElement(By.id("redirect-uri")).getAttribute("value"))
                .isEqualTo(stack.keycloak().baseUrl() + "/realms/" + realm.name() + "/broker/" + healthy.idpAlias() + "/endpoint");
        String shown = browser.findElement(By.tagName("main")).getText();
        assertThat(shown).contains("Tenant\n" + healthy.tenantId()).contains("Identity provider\n" + healthy.idpAlias()).doesNotContain("[object");
        browser.findElement(By.cssSelector(".copy button")).click();
        wait.until(d -> d.findElement(By.cssSelector(".copy button")).getText().equals("Copied"));

        stack.simulator().faults().add(FaultRule.on("GET", "^/v1\\.0/users/delta").tenant(healthy.tenantId()).untilCleared()
                .latency(Duration.ofMillis(1500)));
        browser.findElement(By.id("sync-full")).click();
        wait.until(d -> d.findElement(By.id("progress")).getText().contains("Running. Phase: users"));
        wait.until(d -> d.findElement(By.id("progress")).getText().matches("(?s).*users written: [1-9].*"));
        HeadlessChromium.screenshot(browser, "console-sync-progress");
        stack.simulator().faults().clear();
        wait.withTimeout(Duration.ofSeconds(120)).until(d -> d.findElement(By.id("progress")).getText().startsWith("Finished: SUCCESS"));
        assertThat(browser.findElement(By.id("progress")).getText()).contains("Added " + healthy.enabledEntraUsers());
        wait.until(d -> d.findElement(By.id("runs")).getText().contains("SUCCESS"));
        HeadlessChromium.screenshot(browser, "console-sync-done");
    }

    @Test
    void testConnectionNamesTheMissingPermissionWithTheAdminConsentLink() throws Exception {
        open("/" + missing.orgAlias());
        wait.until(ExpectedConditions.elementToBeClickable(By.id("test"))).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("missing")));
        assertThat(browser.findElement(By.id("missing")).getText()).contains("Domain.Read.All");
        String consent = browser.findElement(By.id("consent")).getAttribute("href");
        assertThat(consent).contains("/" + missing.tenantId() + "/adminconsent?client_id=" + missing.appId());
        HeadlessChromium.screenshot(browser, "console-missing-permission");
    }

    @Test
    void aGuardedRunIsConfirmedFromThePage() throws Exception {
        open("/" + guarded.orgAlias());
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("guard")));
        assertThat(browser.findElement(By.id("guard")).getText()).contains("10 of 20");
        HeadlessChromium.screenshot(browser, "console-guarded");
        browser.findElement(By.id("confirm")).click();
        wait.until(d -> d.findElement(By.id("guard")).getText().startsWith("Confirmed"));
        assertThat(admin.get("/" + realm.name() + "/entra-sync/" + guardedSync + "/state").path("guardConfirmed").asBoolean()).isTrue();
    }

    @Test
    void anExpiringSecretIsFlaggedAndACertificateCanBeDownloaded() throws Exception {
        open("/" + expiring.orgAlias());
        wait.until(d -> d.findElement(By.tagName("main")).getText().matches("(?s).*expires in (9|10) day\\(s\\).*"));
        HeadlessChromium.screenshot(browser, "console-expiring");

        Customer cert = Customer.in(stack, realm, "pg-certified").displayName("Certified Co").create();
        cert.updateIdp(Map.of("entraCredentialType", "certificate", "clientSecret", "generate"));
        String pem = admin.get("/" + realm.name() + "/identity-provider/instances/" + cert.idpAlias()).path("config").path("entraCertificate").asText();
        assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----");
        open("/" + cert.orgAlias());
        WebElement link = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("certificate")));
        assertThat(link.getAttribute("download")).isEqualTo(cert.idpAlias() + ".pem");
        String href = link.getAttribute("href");
        assertThat(href).startsWith("data:application/x-pem-file;charset=utf-8,");
        String downloaded = java.net.URLDecoder.decode(href.substring(href.indexOf(',') + 1).replace("+", "%2B"),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(downloaded.strip()).isEqualTo(pem.strip());
        assertThat(browser.getPageSource()).doesNotContain("PRIVATE KEY");
    }

    @Test
    void at360PixelsNothingScrollsSidewaysAndTheKeyboardReachesACustomer() throws Exception {
        browser.manage().window().setSize(new Dimension(360, 800));
        try {
            open("");
            row("Healthy Hospital");
            Long overflow = (Long) browser.executeScript("return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
            assertThat(overflow).as("no horizontal scrolling at 360 px").isLessThanOrEqualTo(0L);
            HeadlessChromium.screenshot(browser, "console-360px");

            WebElement search = browser.findElement(By.id("search"));
            search.click();
            search.sendKeys(Keys.TAB);
            WebElement focused = browser.switchTo().activeElement();
            assertThat(focused.getTagName()).isEqualTo("button");
            String name = focused.getText();
            focused.sendKeys(Keys.ENTER);
            wait.until(ExpectedConditions.textToBe(By.id("customer-name"), name));
            overflow = (Long) browser.executeScript("return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
            assertThat(overflow).as("the customer's page at 360 px").isLessThanOrEqualTo(0L);
            HeadlessChromium.screenshot(browser, "console-360px-customer");
        } finally {
            browser.manage().window().setSize(new Dimension(1400, 1000));
        }
    }

    @Test
    void thePageIsServedWithAStrictContentSecurityPolicyAndHoldsNoData() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(stack.keycloak().baseUrl() + "/realms/" + realm.name() + "/entra-pbx-console/")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Security-Policy").orElse("")).contains("script-src 'self'").contains("frame-ancestors 'none'");
        assertThat(r.body()).doesNotContain(healthy.tenantId()).contains("app.js");
        HttpResponse<String> other = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(stack.keycloak().baseUrl() + "/realms/" + realm.name() + "/entra-pbx-console/..%2F..%2Fpom.xml")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(admin.get("/" + realm.name() + "/clients?clientId=entra-pbx-console").get(0).path("publicClient").asBoolean()).isTrue();
    }
}
