package dev.entrapbx.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.entrapbx.harness.Customer;
import dev.entrapbx.harness.EntraPbxStack;
import dev.entrapbx.harness.TestRealm;
import dev.entrapbx.simulator.EntraSimulator;
import dev.entrapbx.simulator.model.User;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The same Entra login as {@link EntraBrokerIT}, clicked through in headless Chromium. */
@ExtendWith(SharedStack.class)
class EntraBrowserLoginIT {

    @Test
    void signInWithMicrosoftInARealBrowser(EntraPbxStack stack) throws Exception {
        EntraSimulator sim = stack.simulator();
        TestRealm realm = TestRealm.create(stack.keycloak().admin(), "browser-it");
        Customer gamma = Customer.in(stack, realm, "gamma").displayName("Gamma Corp").idpAlias("gamma").withoutOrganization().create();
        User grace = gamma.entraUser("grace", u -> u.surname("Hopper").displayName("Grace Hopper"));

        ChromeDriver browser = HeadlessChromium.start(HeadlessChromium.serverCertificates(sim), 1280, 900);
        try {
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            browser.get(stack.keycloak().baseUrl() + "/realms/browser-it/account/");
            wait.until(ExpectedConditions.elementToBeClickable(By.id("social-gamma"))).click();

            wait.until(ExpectedConditions.urlContains(sim.baseUrl()));
            browser.findElement(By.id("i0116")).sendKeys("grace@gamma.example");
            browser.findElement(By.id("i0118")).sendKeys(Customer.PASSWORD);
            HeadlessChromium.screenshot(browser, "entra-simulator-sign-in");
            browser.findElement(By.cssSelector("form input[type=submit], form button[type=submit]")).click();

            wait.until(ExpectedConditions.urlContains(stack.keycloak().baseUrl() + "/realms/browser-it/account"));
            wait.until(d -> d.getPageSource().contains("Grace") || d.getPageSource().contains("grace@gamma.example"));
            HeadlessChromium.screenshot(browser, "account-console-after-entra-login");
        } finally {
            browser.quit();
        }
        JsonNode user = realm.user("grace@gamma.example");
        assertThat(realm.federatedIdentities(user.path("id").asText()))
                .singleElement().satisfies(l -> assertThat(l.path("userId").asText()).isEqualTo(grace.id()));
    }
}
