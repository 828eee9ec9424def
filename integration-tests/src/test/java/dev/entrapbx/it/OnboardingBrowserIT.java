package dev.entrapbx.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.entrapbx.harness.Browserless;
import dev.entrapbx.harness.Customer;
import dev.entrapbx.harness.EntraPbxStack;
import dev.entrapbx.harness.KeycloakAdminClient;
import dev.entrapbx.harness.KeycloakServer;
import dev.entrapbx.harness.Partner;
import dev.entrapbx.harness.TestRealm;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The customer's Microsoft 365 admin in a real browser (headless Chromium): the partner-branded
 * invitation page, Microsoft's sign-in and admin-consent pages (the simulator's, with Microsoft's
 * element ids), and back at Keycloak the result page that follows the first sync until it has
 * finished; a cancelled consent ends on a clear page. Screenshots in target/screenshots/onboarding-*.
 */
@ExtendWith(SharedStack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OnboardingBrowserIT {

    EntraPbxStack stack;
    KeycloakAdminClient admin;
    TestRealm realm;
    Partner partner;
    ChromeDriver browser;
    WebDriverWait wait;

    @BeforeAll
    void setUp(EntraPbxStack stack) throws Exception {
        this.stack = stack;
        this.admin = stack.keycloak().admin();
        this.realm = TestRealm.create(admin, "onboarding-browser-it");
        admin.send("PUT", "/" + realm.name(), Map.of("loginTheme", "entra-pbx", "attributes",
                Map.of("brand.displayName", "Northwind Voice", "brand.primaryColor", "#c8102e"))).expect(204);
        this.partner = Partner.create(stack, realm, "Northwind Cloud PBX", Map.of("signInUrl", "https://phone.northwind.example/"));
        browser = HeadlessChromium.start(HeadlessChromium.serverCertificates(stack.simulator()), 1280, 900);
        wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    }

    @AfterEach
    void freshBrowser() {
        browser.manage().deleteAllCookies();
        browser.manage().window().setSize(new Dimension(1280, 900));
    }

    @AfterAll
    void tearDown() {
        if (browser != null) {
            browser.quit();
        }
    }

    private String text(By by) {
        return browser.findElement(by).getText();
    }

    /** The invitation page, Continue, and Microsoft's sign-in as the customer's admin: Microsoft's consent page. */
    private void toMicrosoftsConsentPage(String link, String adminUpn) throws Exception {
        browser.get(link);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("onboarding-continue")));
        browser.findElement(By.id("onboarding-continue")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("i0116")));
        browser.findElement(By.id("i0116")).sendKeys(adminUpn);
        browser.findElement(By.id("i0118")).sendKeys(Customer.PASSWORD);
        browser.findElement(By.id("idSIButton9")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("idBtn_Back")));
    }

    @Test
    void theCustomersAdminConsentsAndWatchesTheFirstSyncFinish() throws Exception {
        String domain = "tailspin-browser.example";
        String tid = Partner.customerTenant(stack, "Tailspin Toys", domain, 60);
        long people = partner.directory().users(tid).stream().filter(dev.entrapbx.simulator.model.User::accountEnabled)
                .filter(u -> !"Guest".equalsIgnoreCase(u.userType())).count();
        JsonNode inv = partner.invite("Tailspin Toys", domain, "4000-4999");

        browser.get(inv.path("link").asText());
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("onboarding-invitation")));
        assertThat(text(By.id("entrapbx-brand-name"))).isEqualTo("Northwind Voice");
        assertThat(text(By.id("kc-page-title"))).isEqualTo("Northwind Cloud PBX invites Tailspin Toys");
        assertThat(text(By.id("onboarding-items"))).contains("User.Read.All").contains("Domain.Read.All");
        assertThat(text(By.id("onboarding-facts"))).contains(domain);
        HeadlessChromium.screenshot(browser, "onboarding-invitation-1280");
        browser.manage().window().setSize(new Dimension(360, 800));
        Object sideways = ((JavascriptExecutor) browser).executeScript(
                "return document.documentElement.scrollWidth > document.documentElement.clientWidth;");
        assertThat(sideways).as("no sideways scrolling at 360 px").isEqualTo(false);
        HeadlessChromium.screenshot(browser, "onboarding-invitation-360");
        browser.manage().window().setSize(new Dimension(1280, 900));

        toMicrosoftsConsentPage(inv.path("link").asText(), "admin@" + domain);
        assertThat(browser.getPageSource()).contains("for your whole organisation, Tailspin Toys").contains("User.Read.All");
        HeadlessChromium.screenshot(browser, "onboarding-consent-at-microsoft");
        browser.findElement(By.id("idSIButton9")).click(); // Accept

        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("onboarding-result")));
        assertThat(text(By.id("kc-page-title"))).isEqualTo("Tailspin Toys is connected");
        // the page refreshes itself while the first sync runs
        new WebDriverWait(browser, Duration.ofSeconds(90)).ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> {
            var facts = d.findElements(By.id("onboarding-facts"));
            return !facts.isEmpty() && facts.get(0).getText().contains("finished");
        });
        String facts = text(By.id("onboarding-facts"));
        assertThat(facts).contains("People synced\n" + people).contains("Extensions given\n" + people);
        assertThat(browser.findElement(By.id("onboarding-link")).getAttribute("href")).isEqualTo("https://phone.northwind.example/");
        HeadlessChromium.screenshot(browser, "onboarding-result");
    }

    @Test
    void aPartnerAdminInvitesFromTheCustomersPageAndLaterOffboardsTheCustomer() throws Exception {
        String domain = "woodgrove-console.example";
        Partner.customerTenant(stack, "Woodgrove Bank", domain, 5);
        browser.get(stack.keycloak().baseUrl() + "/realms/master/entra-pbx-console/#/" + realm.name());
        wait.until(ExpectedConditions.elementToBeClickable(By.id("username"))).sendKeys(KeycloakServer.ADMIN_USER);
        browser.findElement(By.id("password")).sendKeys(KeycloakServer.ADMIN_PASSWORD);
        browser.findElement(By.id("kc-login")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("invite-form")));

        // a wrong domain first: the page lists what to fix, nothing is created
        browser.findElement(By.id("invite-name")).sendKeys("Woodgrove Bank");
        browser.findElement(By.id("invite-domains")).sendKeys("not a domain");
        browser.findElement(By.id("invite")).click();
        wait.until(d -> d.findElement(By.id("invite-result")).getText().contains("is not a domain name"));
        browser.findElement(By.id("invite-domains")).clear();
        browser.findElement(By.id("invite-domains")).sendKeys(domain);
        browser.findElement(By.id("invite-range")).sendKeys("5000-5999");
        browser.findElement(By.id("invite")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("invite-link")));
        String link = browser.findElement(By.id("invite-link")).getAttribute("value");
        assertThat(link).startsWith(stack.keycloak().baseUrl() + "/realms/" + realm.name() + "/entra-onboarding/invitation/");
        wait.until(d -> d.findElement(By.id("pending")).getText().contains("Woodgrove Bank"));
        HeadlessChromium.screenshot(browser, "onboarding-console-invite");

        // the customer's admin consents (without a browser here), then the partner admin offboards, keeping the people
        Browserless.Page done = partner.consent(new Browserless(stack.simulator().sslContext()), link, "admin@" + domain, true);
        assertThat(done.body()).contains("Woodgrove Bank is connected");
        JsonNode inv = admin.get("/" + realm.name() + "/entra-onboarding/invitations?status=LINKED").path("invitations").findParents("name")
                .stream().filter(i -> "Woodgrove Bank".equals(i.path("name").asText())).findFirst().orElseThrow();
        browser.get(stack.keycloak().baseUrl() + "/realms/master/entra-pbx-console/#/" + realm.name() + "/" + inv.path("organizationAlias").asText());
        browser.navigate().refresh();
        try {
            wait.until(ExpectedConditions.elementToBeClickable(By.id("offboard-keep"))).click();
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("no offboarding on the customer's page: " + text(By.tagName("main")), e);
        }
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        // the page re-renders the result while it fills it in: an element read between two renders is stale, read it again
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(d -> d.findElement(By.id("offboard-result")).getText().contains("Offboarded"));
        assertThat(text(By.id("offboard-result"))).contains("people kept").contains("Enterprise applications");
        HeadlessChromium.screenshot(browser, "onboarding-console-offboarded");
        assertThat(admin.get("/" + realm.name() + "/entra-onboarding/invitations/" + inv.path("id").asText()).path("status").asText())
                .isEqualTo("OFFBOARDED");
    }

    @Test
    void aCancelledConsentEndsOnAClearPageAndMakesNothing() throws Exception {
        String domain = "cancel-browser.example";
        Partner.customerTenant(stack, "Cancel Corp", domain, 2);
        JsonNode inv = partner.invite("Cancel Corp", domain, null);
        toMicrosoftsConsentPage(inv.path("link").asText(), "admin@" + domain);
        browser.findElement(By.id("idBtn_Back")).click(); // Cancel
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("onboarding-refused")));
        assertThat(text(By.id("onboarding-intro"))).contains("AADSTS65004");
        assertThat(text(By.id("onboarding-note"))).contains("open the invitation link again");
        HeadlessChromium.screenshot(browser, "onboarding-refused");
        JsonNode after = admin.get("/" + realm.name() + "/entra-onboarding/invitations/" + inv.path("id").asText());
        assertThat(after.path("status").asText()).isEqualTo("PENDING");
        assertThat(admin.get("/" + realm.name() + "/organizations/" + inv.path("organizationId").asText()).path("enabled").asBoolean()).isFalse();
    }
}
