package dev.entrapbx.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.entrapbx.harness.EntraPbxStack;
import dev.entrapbx.harness.KeycloakAdminClient;
import dev.entrapbx.harness.KeycloakServer;
import dev.entrapbx.harness.TestRealm;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The admin console's Realm settings > Branding tab: validated at save time, written to the realm attributes. */
@ExtendWith(SharedStack.class)
class BrandAdminConsoleIT {

    static final String UI_TAB = "org.keycloak.services.ui.extend.UiTabProvider";

    @Test
    void theBrandingTabRefusesBadValuesAndSavesGoodOnesIntoTheRealmAttributes(EntraPbxStack stack) {
        KeycloakAdminClient admin = stack.keycloak().admin();
        TestRealm realm = TestRealm.create(admin, "brand-tab-rest");
        String realmId = admin.get("/" + realm.name()).path("id").asText();

        KeycloakAdminClient.Response refused = admin.send("POST", "/" + realm.name() + "/components", Map.of(
                "name", "Branding", "providerId", "Branding", "providerType", UI_TAB, "parentId", realmId,
                "config", Map.of("displayName", List.of("Delta Voice"), "primaryColor", List.of("#12345"),
                        "supportUrl", List.of("javascript:alert(1)"))));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("brand.primaryColor", "brand.supportUrl");
        assertThat(admin.get("/" + realm.name()).path("attributes").has("brand.displayName")).isFalse();

        admin.send("POST", "/" + realm.name() + "/components", Map.of(
                "name", "Branding", "providerId", "Branding", "providerType", UI_TAB, "parentId", realmId,
                "config", Map.of("displayName", List.of("Delta Voice"), "primaryColor", List.of("#2e7d32")))).expect(201);
        JsonNode attrs = admin.get("/" + realm.name()).path("attributes");
        assertThat(attrs.path("brand.displayName").asText()).isEqualTo("Delta Voice");
        assertThat(attrs.path("brand.primaryColor").asText()).isEqualTo("#2e7d32");
    }

    @Test
    void aPartnerAdminBrandsTheRealmInTheAdminConsole(EntraPbxStack stack) throws Exception {
        KeycloakAdminClient admin = stack.keycloak().admin();
        TestRealm realm = TestRealm.create(admin, "brand-tab-ui");
        ObjectNode rep = (ObjectNode) admin.get("/" + realm.name());
        rep.put("loginTheme", "entra-pbx");
        admin.send("PUT", "/" + realm.name(), rep.toString()).expect(204);
        String kc = stack.keycloak().baseUrl();

        ChromeDriver browser = HeadlessChromium.start(List.of(), 1400, 1000);
        try {
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
            browser.get(kc + "/admin/master/console/#/" + realm.name() + "/realm-settings/branding");
            wait.until(ExpectedConditions.elementToBeClickable(By.id("username"))).sendKeys(KeycloakServer.ADMIN_USER);
            browser.findElement(By.id("password")).sendKeys(KeycloakServer.ADMIN_PASSWORD);
            browser.findElement(By.id("kc-login")).click();

            wait.until(d -> field(browser, "Display name") != null);
            assertThat(browser.getPageSource()).contains("Primary colour", "Accent colour", "Logo URL", "Support phone");
            field(browser, "Display name").sendKeys("Echo Telecom");
            field(browser, "Primary colour").sendKeys("not-a-colour");
            save(browser);
            wait.until(d -> d.getPageSource().contains("brand.primaryColor"));
            assertThat(admin.get("/" + realm.name()).path("attributes").has("brand.displayName")).isFalse();
            HeadlessChromium.screenshot(browser, "brand-admin-console-branding-tab-refused");

            WebElement colour = field(browser, "Primary colour");
            colour.clear();
            colour.sendKeys("#6a1b9a");
            save(browser);
            wait.until(d -> "Echo Telecom".equals(admin.get("/" + realm.name()).path("attributes").path("brand.displayName").asText()));
            assertThat(admin.get("/" + realm.name()).path("attributes").path("brand.primaryColor").asText()).isEqualTo("#6a1b9a");
            HeadlessChromium.screenshot(browser, "brand-admin-console-branding-tab-saved");

            browser.manage().deleteAllCookies();
            browser.get(kc + "/realms/" + realm.name() + "/protocol/openid-connect/auth?client_id=" + TestRealm.CLIENT_ID
                    + "&response_type=code&scope=openid&redirect_uri=" + java.net.URLEncoder.encode(TestRealm.CLIENT_REDIRECT,
                    java.nio.charset.StandardCharsets.UTF_8));
            wait.until(ExpectedConditions.textToBe(By.id("entrapbx-brand-name"), "Echo Telecom"));
            assertThat(browser.executeScript("return getComputedStyle(document.getElementById('kc-login')).backgroundColor"))
                    .isEqualTo("rgb(106, 27, 154)");
        } finally {
            browser.quit();
        }
    }

    /** The input or textarea labelled {@code label}, or null. */
    private static WebElement field(ChromeDriver browser, String label) {
        Object e = browser.executeScript("const l = Array.from(document.querySelectorAll('label'))"
                + ".find(l => l.textContent.trim() === arguments[0]);"
                + " return l && l.htmlFor ? document.getElementById(l.htmlFor) : null;", label);
        return e instanceof WebElement w ? w : null;
    }

    private static void save(ChromeDriver browser) {
        browser.findElements(By.cssSelector("button[type=submit], button")).stream()
                .filter(b -> b.getText().trim().equals("Save") && b.isDisplayed()).findFirst()
                .orElseThrow(() -> new AssertionError("no Save button")).click();
    }
}
