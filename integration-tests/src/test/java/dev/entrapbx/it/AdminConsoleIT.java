package dev.entrapbx.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.entrapbx.harness.EntraPbxStack;
import dev.entrapbx.harness.KeycloakServer;
import dev.entrapbx.harness.TestRealm;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** What a partner admin sees in the admin console for an entra-id identity provider. */
@ExtendWith(SharedStack.class)
class AdminConsoleIT {

    @Test
    void theIdentityProviderPageShowsTheRedirectUriToCopyAndOurSettings(EntraPbxStack stack) throws Exception {
        TestRealm realm = TestRealm.create(stack.keycloak().admin(), "console-it");
        Map<String, String> config = new LinkedHashMap<>();
        config.put("clientId", "3f2a1b0c-9d8e-4f7a-b6c5-d4e3f2a1b0c9");
        config.put("clientSecret", "console-secret");
        config.put("entraTenant", "6f1e2d3c-4b5a-4978-8a1b-2c3d4e5f6a7b");
        config.put("entraSecretExpiresOn", "2027-12-31");
        assertThat(realm.createIdp("contoso", config).status()).isEqualTo(201);
        String kc = stack.keycloak().baseUrl();

        ChromeDriver browser = HeadlessChromium.start(List.of(), 1400, 1000);
        try {
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
            browser.get(kc + "/admin/master/console/#/console-it/identity-providers/entra-id/contoso/settings");
            wait.until(ExpectedConditions.elementToBeClickable(By.id("username"))).sendKeys(KeycloakServer.ADMIN_USER);
            browser.findElement(By.id("password")).sendKeys(KeycloakServer.ADMIN_PASSWORD);
            browser.findElement(By.id("kc-login")).click();

            String redirectUri = kc + "/realms/console-it/broker/contoso/endpoint";
            wait.until(d -> inputValues(browser).contains(redirectUri));
            List<String> values = inputValues(browser);
            assertThat(values).contains(redirectUri, "6f1e2d3c-4b5a-4978-8a1b-2c3d4e5f6a7b", "2027-12-31");
            assertThat(browser.getPageSource()).contains("Tenant").contains("Allowed tenant IDs").contains("Credential type");
            HeadlessChromium.screenshot(browser, "admin-console-entra-idp");
        } finally {
            browser.quit();
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> inputValues(ChromeDriver browser) {
        return (List<String>) browser.executeScript(
                "return Array.from(document.querySelectorAll('input, textarea')).map(i => i.value);");
    }
}
