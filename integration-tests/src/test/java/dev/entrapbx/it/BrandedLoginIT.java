package dev.entrapbx.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.entrapbx.harness.Customer;
import dev.entrapbx.harness.EntraPbxStack;
import dev.entrapbx.harness.KeycloakAdminClient;
import dev.entrapbx.harness.TestRealm;
import dev.entrapbx.simulator.EntraSimulator;
import dev.entrapbx.simulator.model.User;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The entra-pbx login theme in headless Chromium against the real Keycloak: each realm renders
 * its own brand from its brand.* attributes, changes show on the next load, hostile values are
 * neutralised, the form works by keyboard alone with a visible focus, the layout holds from 360 px,
 * and the error page, reset-password page and emails carry the brand too.
 */
@ExtendWith(SharedStack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrandedLoginIT {

    static final String PASSWORD = "Brand-Passw0rd!";
    static final ObjectMapper JSON = new ObjectMapper();

    static final String ALPHA_LOGO = svgDataUrl("#c8102e", "A");
    static final String BETA_LOGO = svgDataUrl("#5b2a86", "B");

    EntraPbxStack stack;
    KeycloakAdminClient admin;
    String kc;
    TestRealm alpha;
    TestRealm beta;
    String tenantB;
    SmtpSink smtp;
    ChromeDriver browser;
    WebDriverWait wait;

    @BeforeAll
    void setUp(EntraPbxStack stack) throws Exception {
        this.stack = stack;
        this.admin = stack.keycloak().admin();
        this.kc = stack.keycloak().baseUrl();
        smtp = new SmtpSink();

        alpha = TestRealm.create(admin, "brand-alpha");
        Map<String, String> a = new LinkedHashMap<>();
        a.put("brand.displayName", "Alpha Telecom");
        a.put("brand.logoUrl", ALPHA_LOGO);
        a.put("brand.primaryColor", "#c8102e");
        a.put("brand.accentColor", "#00205b");
        a.put("brand.background", "#f4f1ec");
        a.put("brand.supportUrl", "https://help.alpha-telecom.example/");
        a.put("brand.supportPhone", "+44 20 7946 0000");
        a.put("brand.privacyUrl", "https://alpha-telecom.example/privacy");
        a.put("brand.termsUrl", "https://alpha-telecom.example/terms");
        updateRealm(alpha.name(), r -> {
            r.put("loginTheme", "entra-pbx");
            r.put("emailTheme", "entra-pbx");
            r.put("resetPasswordAllowed", true);
            r.put("internationalizationEnabled", true);
            r.putArray("supportedLocales").add("en").add("de").add("fr");
            r.put("defaultLocale", "en");
            r.set("smtpServer", JSON.valueToTree(Map.of("host", "127.0.0.1", "port", String.valueOf(smtp.port()),
                    "from", "no-reply@alpha-telecom.example", "fromDisplayName", "Alpha Telecom",
                    "auth", "false", "ssl", "false", "starttls", "false")));
            ObjectNode attrs = attributes(r);
            a.forEach(attrs::put);
        });
        alpha.createUser("alex", "alex@alpha-telecom.example", true, PASSWORD);

        beta = TestRealm.create(admin, "brand-beta");
        updateRealm(beta.name(), r -> {
            r.put("loginTheme", "entra-pbx");
            ObjectNode attrs = attributes(r);
            attrs.put("brand.displayName", "Beta Voice");
            attrs.put("brand.logoUrl", BETA_LOGO);
            // a light primary colour: button text must turn black, links must be darkened
            attrs.put("brand.primaryColor", "#ffd400");
            attrs.put("brand.accentColor", "#5b2a86");
            attrs.put("brand.background", "#1e1b4b");
        });

        // Microsoft sign-in for alpha: a multi-tenant app that admits tenant A only
        EntraSimulator sim = stack.simulator();
        Customer alphaCustomer = Customer.in(stack, alpha, "alpha-customer").displayName("Alpha Customer").multiTenantApp()
                .withoutIdp().withoutOrganization().create();
        alphaCustomer.idp("alpha-ms", Map.of("entraTenant", "organizations", "entraAllowedTenants", alphaCustomer.tenantId()));
        tenantB = sim.directory().createTenant(null, "Other Company", "other-company.example").id();
        sim.directory().grantAdminConsent(tenantB, alphaCustomer.appId()); // so the refusal is Keycloak's allow-list, not Microsoft's
        sim.directory().createUser(tenantB, User.builder()
                .userPrincipalName("olga@other-company.example").mail("olga@other-company.example")
                .givenName("Olga").surname("Other").displayName("Olga Other")
                .password(PASSWORD).emailVerified(true));

        browser = HeadlessChromium.start(HeadlessChromium.serverCertificates(sim), 1280, 900);
        wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    }

    @AfterAll
    void tearDown() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (smtp != null) {
            smtp.close();
        }
    }

    @Test
    void twoRealmsRenderTheirOwnLogoColoursAndName() throws Exception {
        openLogin(alpha.name(), null, 1280);
        assertThat(text(By.id("entrapbx-brand-name"))).isEqualTo("Alpha Telecom");
        assertThat(browser.getTitle()).contains("Alpha Telecom");
        assertLogo(ALPHA_LOGO);
        assertThat(style(By.id("kc-login"), "backgroundColor")).isEqualTo(rgb("#c8102e"));
        assertThat(style(By.id("kc-login"), "color")).isEqualTo(rgb("#ffffff"));
        assertThat(style(By.tagName("body"), "backgroundColor")).isEqualTo(rgb("#f4f1ec"));
        assertThat(style(By.cssSelector(".pf-v5-c-login__main-header"), "borderTopColor")).isEqualTo(rgb("#00205b"));
        assertThat(browser.findElement(By.id("entrapbx-support")).getAttribute("href")).isEqualTo("https://help.alpha-telecom.example/");
        assertThat(browser.findElement(By.id("entrapbx-support-phone")).getAttribute("href")).isEqualTo("tel:+442079460000");
        assertThat(text(By.id("entrapbx-privacy"))).isEqualTo("Privacy");
        assertThat(text(By.id("entrapbx-terms"))).isEqualTo("Terms of use");
        HeadlessChromium.screenshot(browser, "brand-alpha-login-1280");

        openLogin(beta.name(), null, 1280);
        assertThat(text(By.id("entrapbx-brand-name"))).isEqualTo("Beta Voice");
        assertLogo(BETA_LOGO);
        assertThat(style(By.id("kc-login"), "backgroundColor")).isEqualTo(rgb("#ffd400"));
        // #ffd400 has 1.4:1 against white text: the theme switches the button text to black
        assertThat(style(By.id("kc-login"), "color")).isEqualTo(rgb("#000000"));
        assertThat(style(By.tagName("body"), "backgroundColor")).isEqualTo(rgb("#1e1b4b"));
        // the name over the dark background is white (4.5:1)
        assertThat(style(By.id("kc-header-wrapper"), "color")).isEqualTo(rgb("#ffffff"));
        assertThat(browser.findElements(By.id("entrapbx-footer"))).as("no footer links configured").isEmpty();
        HeadlessChromium.screenshot(browser, "brand-beta-login-1280");
    }

    @Test
    void theDemoRealmIsBrandedAsAFictionalPartner() throws Exception {
        browser.get(kc + "/realms/demo/brand/brand.css");
        browser.manage().deleteAllCookies();
        browser.manage().window().setSize(new Dimension(1280, 900));
        browser.get(kc + "/realms/demo/account/");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("username")));
        assertThat(text(By.id("entrapbx-brand-name"))).isEqualTo("Northwind Voice");
        assertThat(browser.findElement(By.id("entrapbx-logo")).getAttribute("src")).startsWith("data:image/svg+xml;base64,");
        assertThat(style(By.id("kc-login"), "backgroundColor")).isEqualTo(rgb("#0f766e"));
        assertThat(browser.findElement(By.id("entrapbx-support")).getAttribute("href")).isEqualTo("https://help.northwind-voice.example/");
        HeadlessChromium.screenshot(browser, "demo-northwind-voice-login-1280");
        browser.manage().window().setSize(new Dimension(360, 800));
        HeadlessChromium.screenshot(browser, "demo-northwind-voice-login-360");
        browser.manage().window().setSize(new Dimension(1280, 900));
    }

    @Test
    void signInWithMicrosoftButtonFollowsMicrosoftsGuidance() throws Exception {
        openLogin(alpha.name(), null, 1280);
        WebElement button = browser.findElement(By.id("social-alpha-ms"));
        assertThat(button.getAttribute("class")).contains("entrapbx-ms-button");
        assertThat(button.getText().strip()).isEqualTo("Sign in with Microsoft");
        assertThat(style(By.id("social-alpha-ms"), "backgroundColor")).isEqualTo(rgb("#ffffff"));
        assertThat(style(By.id("social-alpha-ms"), "color")).isEqualTo(rgb("#5e5e5e"));
        assertThat(style(By.id("social-alpha-ms"), "borderTopColor")).isEqualTo(rgb("#8c8c8c"));
        assertThat(style(By.id("social-alpha-ms"), "borderTopWidth")).isEqualTo("1px");
        assertThat(style(By.id("social-alpha-ms"), "fontSize")).isEqualTo("15px");
        assertThat(style(By.id("social-alpha-ms"), "fontFamily")).startsWith("\"Segoe UI\"");
        assertThat(button.getRect().getHeight()).isEqualTo(41);
        List<String> squares = new ArrayList<>();
        button.findElements(By.cssSelector("svg.entrapbx-ms-logo rect")).forEach(r -> squares.add(r.getAttribute("fill")));
        assertThat(squares).containsExactly("#f25022", "#7fba00", "#00a4ef", "#ffb900");

        openLogin(alpha.name(), "de", 1280);
        assertThat(text(By.id("social-alpha-ms"))).isEqualTo("Mit Microsoft anmelden");
        assertThat(text(By.id("entrapbx-privacy"))).isEqualTo("Datenschutz");
        openLogin(alpha.name(), "fr", 1280);
        assertThat(text(By.id("social-alpha-ms"))).isEqualTo("Se connecter avec Microsoft");
        assertThat(text(By.id("entrapbx-privacy"))).isEqualTo("Confidentialité");
        HeadlessChromium.screenshot(browser, "brand-alpha-login-fr-1280");
    }

    @Test
    void inDarkModeTheMicrosoftButtonUsesItsDarkVariantAndLinksStayReadable() throws Exception {
        browser.executeCdpCommand("Emulation.setEmulatedMedia",
                Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
        try {
            openLogin(alpha.name(), null, 1280);
            wait.until(d -> js("return document.documentElement.className").toString().contains("pf-v5-theme-dark"));
            assertThat(style(By.id("social-alpha-ms"), "backgroundColor")).isEqualTo(rgb("#2f2f2f"));
            assertThat(style(By.id("social-alpha-ms"), "color")).isEqualTo(rgb("#ffffff"));
            // #c8102e is too dark for links on the dark card: it is lightened to 4.5:1
            String link = style(By.id("entrapbx-privacy"), "color");
            assertThat(link).isNotEqualTo(rgb("#c8102e"));
            assertThat(contrast(link, style(By.cssSelector(".pf-v5-c-login__main"), "backgroundColor"))).isGreaterThanOrEqualTo(4.5);
            HeadlessChromium.screenshot(browser, "brand-alpha-login-dark-1280");
        } finally {
            browser.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of()));
        }
    }

    @Test
    void aBrandChangeThroughAdminRestShowsOnTheNextPageLoad() throws Exception {
        TestRealm gamma = TestRealm.create(admin, "brand-gamma");
        updateRealm(gamma.name(), r -> r.put("loginTheme", "entra-pbx"));
        openLogin(gamma.name(), null, 1280);
        // nothing set: the neutral default, named after the realm
        assertThat(text(By.id("entrapbx-brand-name"))).isEqualTo("brand-gamma");
        assertThat(style(By.id("kc-login"), "backgroundColor")).isEqualTo(rgb("#0b5cad"));
        assertThat(browser.findElements(By.id("entrapbx-logo"))).isEmpty();

        // the validating endpoint refuses a bad value and saves nothing
        KeycloakAdminClient.Response refused = admin.send("PUT", "/" + gamma.name() + "/brand",
                Map.of("brand.displayName", "Gamma Phones", "brand.primaryColor", "green", "brand.logoUrl", "javascript:alert(1)"));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("problems").toString()).contains("brand.primaryColor", "brand.logoUrl");
        assertThat(admin.get("/" + gamma.name()).path("attributes").has("brand.displayName")).isFalse();

        admin.send("PUT", "/" + gamma.name() + "/brand", Map.of("brand.displayName", "Gamma Phones",
                "brand.primaryColor", "#2e7d32", "brand.logoUrl", ALPHA_LOGO)).expect(200);
        JsonNode report = admin.get("/" + gamma.name() + "/brand");
        assertThat(report.path("effective").path("primaryColor").asText()).isEqualTo("#2e7d32");
        assertThat(report.path("problems").size()).isZero();

        browser.navigate().refresh();
        wait.until(ExpectedConditions.textToBe(By.id("entrapbx-brand-name"), "Gamma Phones"));
        assertThat(style(By.id("kc-login"), "backgroundColor")).isEqualTo(rgb("#2e7d32"));
        assertLogo(ALPHA_LOGO);

        // a plain realm attribute update (what the admin console's realm attributes do) works too
        updateRealm(gamma.name(), r -> attributes(r).put("brand.primaryColor", "#6a1b9a"));
        openLogin(gamma.name(), null, 1280);
        assertThat(style(By.id("kc-login"), "backgroundColor")).isEqualTo(rgb("#6a1b9a"));
    }

    @Test
    void hostileAttributeValuesAreNeutralised() throws Exception {
        TestRealm evil = TestRealm.create(admin, "brand-hostile");
        // under the 80-character limit, so it arrives whole
        String name = "</style><script>__pwned='name'</script><img id=injected src=x onerror=__pwned=1>";
        updateRealm(evil.name(), r -> {
            r.put("loginTheme", "entra-pbx");
            ObjectNode attrs = attributes(r);
            // written straight into the realm attributes, past the validating endpoint
            attrs.put("brand.displayName", name);
            attrs.put("brand.logoUrl", "javascript:window.__pwned='logo'");
            attrs.put("brand.faviconUrl", "https://x.example/f.png\" onload=\"window.__pwned='favicon'");
            attrs.put("brand.primaryColor", "#000000;}</style><script>window.__pwned='css'</script>");
            attrs.put("brand.accentColor", "red;} body{display:none");
            attrs.put("brand.background", "url(javascript:window.__pwned='bg')");
            attrs.put("brand.supportUrl", "javascript:window.__pwned='link'");
            attrs.put("brand.supportPhone", "<script>window.__pwned='phone'</script>");
            attrs.put("brand.privacyUrl", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==");
            attrs.put("brand.termsUrl", "https://hostile.example/terms");
        });
        openLogin(evil.name(), null, 1280);
        openLogin(evil.name(), null, 1280); // twice: the refusals are logged once, not per page

        assertThat(js("return typeof window.__pwned")).isEqualTo("undefined");
        assertThat(browser.findElements(By.id("injected"))).isEmpty();
        assertThat(js("return Array.from(document.scripts).filter(s => s.text.includes('__pwned')).length")).isEqualTo(0L);
        // the name is shown as the text it is
        assertThat(text(By.id("entrapbx-brand-name"))).isEqualTo(name);
        assertThat(browser.getPageSource()).doesNotContain("<script>window.__pwned");
        assertThat(browser.findElements(By.id("entrapbx-logo"))).isEmpty();
        assertThat(browser.findElements(By.id("entrapbx-support"))).isEmpty();
        assertThat(browser.findElements(By.id("entrapbx-support-phone"))).isEmpty();
        assertThat(browser.findElements(By.id("entrapbx-privacy"))).isEmpty();
        assertThat(browser.findElement(By.id("entrapbx-terms")).getAttribute("href")).isEqualTo("https://hostile.example/terms");
        assertThat(js("return Array.from(document.querySelectorAll('[href],[src]')).map(e => e.getAttribute('href') || e.getAttribute('src'))"
                + ".filter(u => /^\\s*(javascript|data:text)/i.test(u)).length")).isEqualTo(0L);
        assertThat(js("return Array.from(document.querySelectorAll('link[rel=icon]')).map(l => l.getAttribute('href')).join(' ')").toString())
                .doesNotContain("x.example");
        // neutral defaults instead of the refused colours; the page is displayed
        assertThat(style(By.id("kc-login"), "backgroundColor")).isEqualTo(rgb("#0b5cad"));
        assertThat(style(By.tagName("body"), "display")).isEqualTo("block");
        assertThat(style(By.tagName("body"), "backgroundColor")).isEqualTo(rgb("#eef1f5"));
        HeadlessChromium.screenshot(browser, "brand-hostile-neutralised-1280");

        String css = httpGet(kc + "/realms/" + evil.name() + "/brand/brand.css").body();
        assertThat(css).contains("--brand-primary: #0b5cad;").doesNotContain("<", "script", "javascript", "red;");

        Path log = stack.settings().workDir().resolve("keycloak-it.log");
        String logged = Files.readString(log);
        assertThat(count(logged, "Brand of brand-hostile: brand.primaryColor: value refused")).isEqualTo(1);
        assertThat(count(logged, "Brand of brand-hostile: brand.logoUrl: value refused")).isEqualTo(1);
        assertThat(logged).doesNotContain("window.__pwned");
    }

    @Test
    void keyboardOnlySignInWithVisibleFocus() throws Exception {
        openLogin(alpha.name(), null, 1280);
        // start the Tab sequence at the very top of the page (a marker before everything else)
        js("const m = document.createElement('span'); m.id = 'tab-start'; m.tabIndex = -1; document.body.prepend(m); m.focus();");
        List<String> order = new ArrayList<>();
        String msFocusOutline = null;
        for (int i = 0; i < 25 && !order.contains("social-alpha-ms"); i++) {
            new Actions(browser).sendKeys(Keys.TAB).perform();
            String id = (String) js("return document.activeElement.id");
            order.add(id);
            if ("social-alpha-ms".equals(id)) {
                msFocusOutline = (String) js("const s = getComputedStyle(document.activeElement);"
                        + " return s.outlineStyle + ' ' + s.outlineWidth + ' ' + s.outlineColor");
                HeadlessChromium.screenshot(browser, "brand-alpha-keyboard-focus-microsoft");
            }
        }
        boolean usernameFirst = browser.findElements(By.id("password")).isEmpty();
        List<String> expected = usernameFirst ? List.of("username", "kc-login", "social-alpha-ms")
                : List.of("username", "password", "kc-login", "social-alpha-ms");
        assertThat(order).as("Tab order").containsSubsequence(expected);
        // visible focus: a 3px solid ring in the accent colour (3:1 against the card)
        assertThat(msFocusOutline).isEqualTo("solid 3px " + rgb("#00205b"));

        // sign in with the keyboard alone
        focus("username");
        new Actions(browser).sendKeys("alex").perform();
        if (usernameFirst) {
            new Actions(browser).sendKeys(Keys.ENTER).perform();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("password")));
            assertThat(text(By.id("entrapbx-brand-name"))).isEqualTo("Alpha Telecom");
            js("const m = document.createElement('span'); m.id = 'tab-start'; m.tabIndex = -1; document.body.prepend(m); m.focus();");
            List<String> second = new ArrayList<>();
            for (int i = 0; i < 15 && !second.contains("kc-login"); i++) {
                new Actions(browser).sendKeys(Keys.TAB).perform();
                second.add((String) js("return document.activeElement.id"));
            }
            assertThat(second).containsSubsequence("password", "kc-login");
            assertThat((String) js("const s = getComputedStyle(document.activeElement); return s.outlineStyle + ' ' + s.outlineWidth"))
                    .isEqualTo("solid 3px");
            HeadlessChromium.screenshot(browser, "brand-alpha-password-1280");
            focus("password");
        } else {
            new Actions(browser).sendKeys(Keys.TAB).perform();
        }
        new Actions(browser).sendKeys(PASSWORD, Keys.ENTER).perform();
        // signed in: Keycloak sends the browser back to the client with an authorization code
        wait.until(ExpectedConditions.urlContains(TestRealm.CLIENT_REDIRECT));
        assertThat(browser.getCurrentUrl()).contains("code=");
    }

    @Test
    void from360PixelsNothingOverflowsAndTheBrandStays() throws Exception {
        for (TestRealm realm : List.of(alpha, beta)) {
            openLogin(realm.name(), null, 360);
            assertThat(((Number) js("return document.documentElement.scrollWidth")).intValue())
                    .as("%s: no horizontal scrolling at 360 px", realm.name())
                    .isLessThanOrEqualTo(((Number) js("return window.innerWidth")).intValue());
            for (String id : List.of("username", "kc-login", "entrapbx-brand-name", "entrapbx-logo")) {
                WebElement e = browser.findElement(By.id(id));
                assertThat(e.getRect().getX()).as(id).isGreaterThanOrEqualTo(0);
                assertThat(e.getRect().getX() + e.getRect().getWidth()).as(id).isLessThanOrEqualTo(360);
            }
            HeadlessChromium.screenshot(browser, realm.name() + "-login-360");
        }
        WebElement ms = browser.findElement(By.id("kc-login"));
        assertThat(ms.isDisplayed()).isTrue();
        openLogin(alpha.name(), null, 360);
        WebElement button = browser.findElement(By.id("social-alpha-ms"));
        assertThat(button.getRect().getX() + button.getRect().getWidth()).isLessThanOrEqualTo(360);
        assertThat(button.getRect().getHeight()).isEqualTo(41);
        browser.manage().window().setSize(new Dimension(1280, 900));
    }

    @Test
    void theBrokersOrganisationNotEnabledPageIsBranded() throws Exception {
        openLogin(alpha.name(), null, 1280);
        browser.findElement(By.id("social-alpha-ms")).click();
        wait.until(ExpectedConditions.urlContains(stack.simulator().baseUrl()));
        browser.findElement(By.id("i0116")).sendKeys("olga@other-company.example");
        browser.findElement(By.id("i0118")).sendKeys(PASSWORD);
        browser.findElement(By.cssSelector("form input[type=submit], form button[type=submit]")).click();
        wait.until(ExpectedConditions.urlContains(kc + "/realms/" + alpha.name()));
        wait.until(d -> d.getPageSource().contains("Your organisation is not enabled for this service"));
        assertThat(text(By.id("entrapbx-brand-name"))).isEqualTo("Alpha Telecom");
        assertLogo(ALPHA_LOGO);
        assertThat(style(By.tagName("body"), "backgroundColor")).isEqualTo(rgb("#f4f1ec"));
        assertThat(browser.findElement(By.id("entrapbx-support")).isDisplayed()).isTrue();
        HeadlessChromium.screenshot(browser, "brand-alpha-error-organisation-not-enabled-1280");
        browser.manage().window().setSize(new Dimension(360, 800));
        HeadlessChromium.screenshot(browser, "brand-alpha-error-organisation-not-enabled-360");
        browser.manage().window().setSize(new Dimension(1280, 900));
    }

    @Test
    void resetPasswordPageAndEmailsAreBranded() throws Exception {
        openLogin(alpha.name(), null, 1280);
        if (browser.findElements(By.cssSelector("a[href*='reset-credentials']")).isEmpty()) {
            browser.findElement(By.id("username")).sendKeys("alex", Keys.ENTER);
        }
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("a[href*='reset-credentials']"))).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("kc-reset-password-form")));
        assertThat(text(By.id("entrapbx-brand-name"))).isEqualTo("Alpha Telecom");
        assertThat(style(By.cssSelector("#kc-reset-password-form [type=submit]"), "backgroundColor")).isEqualTo(rgb("#c8102e"));
        browser.manage().window().setSize(new Dimension(360, 800));
        assertThat(((Number) js("return document.documentElement.scrollWidth")).intValue())
                .isLessThanOrEqualTo(((Number) js("return window.innerWidth")).intValue());
        assertThat(js("return Array.from(document.querySelectorAll('#entrapbx-footer li')).map(li => {"
                + " const r = li.getBoundingClientRect(); return r.left >= 0 && r.right <= window.innerWidth; }).every(x => x)"))
                .as("footer links inside the viewport at 360 px").isEqualTo(true);
        js("document.getElementById('entrapbx-footer').scrollIntoView()");
        HeadlessChromium.screenshot(browser, "brand-alpha-reset-password-360");
        browser.manage().window().setSize(new Dimension(1280, 900));
        WebElement username = browser.findElement(By.id("username"));
        username.clear();
        username.sendKeys("alex", Keys.ENTER);

        SmtpSink.Mail reset = smtp.await(m -> m.recipients().contains("alex@alpha-telecom.example")
                && m.part("text/html") != null && m.part("text/html").contains("reset-credentials")
                || m.recipients().contains("alex@alpha-telecom.example") && m.raw().contains("action-token"));
        String html = reset.part("text/html");
        assertThat(html).contains("Alpha Telecom", "border-top:4px solid #c8102e", "https://help.alpha-telecom.example/",
                "tel:+442079460000", "https://alpha-telecom.example/privacy");
        assertThat(html).contains("Someone just requested to change your Alpha Telecom account");
        assertThat(reset.part("text/plain")).contains("Alpha Telecom", "https://help.alpha-telecom.example/");

        String userId = alpha.user("alex").path("id").asText();
        admin.send("PUT", "/" + alpha.name() + "/users/" + userId + "/send-verify-email", null).expect(204);
        SmtpSink.Mail verify = smtp.await(m -> m.recipients().contains("alex@alpha-telecom.example") && m.part("text/html") != null
                && m.part("text/html").contains("Someone has created a Alpha Telecom account"));
        assertThat(verify.part("text/html")).contains("border-top:4px solid #c8102e", "https://alpha-telecom.example/terms");
        Files.writeString(Files.createDirectories(HeadlessChromium.SCREENSHOTS).resolve("brand-alpha-email-verification.html"),
                verify.part("text/html"));
        browser.get(HeadlessChromium.SCREENSHOTS.resolve("brand-alpha-email-verification.html").toAbsolutePath().toUri().toString());
        HeadlessChromium.screenshot(browser, "brand-alpha-email-verification");
    }

    @Test
    void organizationAttributesOverrideTheRealmBrandOnceTheOrganizationIsKnown() throws Exception {
        String orgId = alpha.createOrganization("Acme", "acme", "acme-phones.example",
                Map.of("brand.displayName", List.of("Acme Phones"), "brand.primaryColor", List.of("#1565c0")));
        String userId = alpha.createUser("ada", "ada@acme-phones.example", true, PASSWORD);
        alpha.addOrganizationMember(orgId, userId);

        openLogin(alpha.name(), null, 1280);
        assertThat(text(By.id("entrapbx-brand-name"))).isEqualTo("Alpha Telecom");
        browser.findElement(By.id("username")).sendKeys("ada@acme-phones.example", Keys.ENTER);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("password")));
        assertThat(text(By.id("entrapbx-brand-name"))).isEqualTo("Acme Phones");
        assertThat(style(By.id("kc-login"), "backgroundColor")).isEqualTo(rgb("#1565c0"));
        // what the organization does not set stays the realm's
        assertLogo(ALPHA_LOGO);
        // the organization's stylesheet needs the page's fingerprint: no probing for customers by alias
        String href = (String) js("return Array.from(document.querySelectorAll('link[rel=stylesheet]'))"
                + ".map(l => l.href).find(h => h.includes('/brand/brand.css'))");
        assertThat(href).contains("org=acme");
        assertThat(httpGet(href).body()).contains("--brand-primary: #1565c0;");
        assertThat(httpGet(kc + "/realms/" + alpha.name() + "/brand/brand.css?org=acme").body())
                .contains("--brand-primary: #c8102e;").doesNotContain("#1565c0");
        // ... and that fingerprint is keyed with the realm's secret: the hash of acme's (guessable)
        // stylesheet, a wrong value or the realm's own v answer exactly like an alias that does not exist
        String css = kc + "/realms/" + alpha.name() + "/brand/brand.css";
        String keyed = href.replaceAll(".*[?&]v=([^&]*).*", "$1");
        String unkeyedGuess = sha256Prefix(httpGet(href).body());
        assertThat(keyed).hasSize(16).isNotEqualTo(unkeyedGuess);
        String realmV = httpGet(css).headers().firstValue("ETag").orElseThrow().replace("\"", "");
        for (String v : List.of(unkeyedGuess, "0123456789abcdef", realmV)) {
            HttpResponse<String> probe = httpGet(css + "?org=acme&v=" + v);
            assertSameAnswer(probe, httpGet(css + "?org=no-such-alias&v=" + v));
            assertSameAnswer(probe, httpGet(css + "?v=" + v));
            assertThat(probe.body()).doesNotContain("#1565c0");
        }
        assertSameAnswer(httpGet(css + "?org=acme"), httpGet(css + "?org=no-such-alias"));
        assertSameAnswer(httpGet(css + "?org=no-such-alias&v=" + keyed), httpGet(css + "?v=" + keyed));
        HeadlessChromium.screenshot(browser, "brand-alpha-organization-acme-1280");
    }

    @Test
    void theBrandStylesheetIsVersionedByItsFingerprintAndRevalidatedWithItsEtag() throws Exception {
        openLogin(beta.name(), null, 1280);
        String href = (String) js("return Array.from(document.querySelectorAll('link[rel=stylesheet]'))"
                + ".map(l => l.href).find(h => h.includes('/brand/brand.css'))");
        assertThat(href).startsWith(kc + "/realms/" + beta.name() + "/brand/brand.css?v=");
        String v = href.substring(href.indexOf("v=") + 2);
        HttpResponse<String> current = httpGet(href);
        assertThat(current.statusCode()).isEqualTo(200);
        assertThat(current.headers().firstValue("Content-Type").orElse("")).startsWith("text/css");
        assertThat(current.headers().firstValue("ETag")).contains("\"" + v + "\"");
        assertThat(current.headers().firstValue("Cache-Control").orElse("")).contains("immutable");
        assertThat(current.body()).contains("--brand-primary: #ffd400;", "--brand-on-primary: #000000;");

        HttpResponse<String> unversioned = httpGet(kc + "/realms/" + beta.name() + "/brand/brand.css");
        assertThat(unversioned.headers().firstValue("Cache-Control")).contains("no-cache");
        HttpResponse<String> revalidated = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(kc + "/realms/" + beta.name() + "/brand/brand.css")).header("If-None-Match", "\"" + v + "\"").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(revalidated.statusCode()).isEqualTo(304);
        assertThat(httpGet(kc + "/realms/no-such-realm/brand/brand.css").statusCode()).isEqualTo(404);
    }

    @Test
    void onThePartnersOwnDomainTheBrandComesFromThatDomain() throws Exception {
        TestRealm partner = TestRealm.create(admin, "brand-domain");
        // the partner's domain: here the same server under another host name
        String partnerDomain = kc.replace("localhost", "127.0.0.1");
        assertThat(partnerDomain).isNotEqualTo(kc);
        updateRealm(partner.name(), r -> {
            r.put("loginTheme", "entra-pbx");
            attributes(r).put("frontendUrl", partnerDomain).put("brand.displayName", "Foxtrot Voice");
        });
        openLogin(partner.name(), null, 1280);
        String href = (String) js("return Array.from(document.querySelectorAll('link[rel=stylesheet]'))"
                + ".map(l => l.href).find(h => h.includes('/brand/brand.css'))");
        assertThat(href).startsWith(partnerDomain + "/realms/" + partner.name() + "/brand/brand.css?v=");
        assertThat(text(By.id("entrapbx-brand-name"))).isEqualTo("Foxtrot Voice");
        assertThat(style(By.id("kc-login"), "backgroundColor")).isEqualTo(rgb("#0b5cad"));
    }

    @Test
    void realmsOnOtherThemesAreUntouchedByBrandAttributes() throws Exception {
        TestRealm plain = TestRealm.create(admin, "brand-off");
        updateRealm(plain.name(), r -> attributes(r).put("brand.displayName", "Should Not Show").put("brand.primaryColor", "#123456"));
        HttpResponse<String> page = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build().send(
                HttpRequest.newBuilder(URI.create(kc + "/realms/" + plain.name() + "/protocol/openid-connect/auth?client_id="
                        + TestRealm.CLIENT_ID + "&response_type=code&scope=openid&redirect_uri="
                        + URLEncoder.encode(TestRealm.CLIENT_REDIRECT, StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("kc-form-login").doesNotContain("/brand/brand.css", "Should Not Show", "entrapbx");
    }

    // --- helpers

    private void openLogin(String realm, String locale, int width) {
        // a fresh login each time: drop Keycloak's cookies (deleteAllCookies acts on the current host)
        browser.get(kc + "/realms/" + realm + "/brand/brand.css");
        browser.manage().deleteAllCookies();
        browser.manage().window().setSize(new Dimension(width, width < 600 ? 800 : 900));
        browser.get(kc + "/realms/" + realm + "/protocol/openid-connect/auth?client_id=" + TestRealm.CLIENT_ID
                + "&response_type=code&scope=openid&redirect_uri=" + URLEncoder.encode(TestRealm.CLIENT_REDIRECT, StandardCharsets.UTF_8)
                + (locale == null ? "" : "&ui_locales=" + locale));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("username")));
        // the brand stylesheet has been applied (custom properties resolved)
        wait.until(d -> !((String) js("return getComputedStyle(document.documentElement).getPropertyValue('--brand-primary')")).isBlank());
    }

    private void assertLogo(String src) {
        WebElement logo = browser.findElement(By.id("entrapbx-logo"));
        assertThat(logo.getAttribute("src")).isEqualTo(src);
        wait.until(d -> ((Number) js("return document.getElementById('entrapbx-logo').naturalWidth")).intValue() > 0);
    }

    private void focus(String id) {
        js("document.getElementById('" + id + "').focus()");
    }

    private String text(By by) {
        return browser.findElement(by).getText().strip();
    }

    private String style(By by, String property) {
        return (String) ((JavascriptExecutor) browser).executeScript(
                "return getComputedStyle(arguments[0])[arguments[1]]", browser.findElement(by), property);
    }

    private Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    private void updateRealm(String realm, java.util.function.Consumer<ObjectNode> change) {
        ObjectNode rep = (ObjectNode) admin.get("/" + realm);
        change.accept(rep);
        admin.send("PUT", "/" + realm, rep.toString()).expect(204);
    }

    private static ObjectNode attributes(ObjectNode realm) {
        if (!(realm.get("attributes") instanceof ObjectNode)) {
            realm.putObject("attributes");
        }
        return (ObjectNode) realm.get("attributes");
    }

    static String rgb(String hex) {
        int v = Integer.parseInt(hex.substring(1), 16);
        return "rgb(" + ((v >> 16) & 0xff) + ", " + ((v >> 8) & 0xff) + ", " + (v & 0xff) + ")";
    }

    /** WCAG contrast of two computed colours {@code rgb(r, g, b)}. */
    static double contrast(String rgb1, String rgb2) {
        double l1 = luminance(rgb1);
        double l2 = luminance(rgb2);
        return (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
    }

    private static double luminance(String rgb) {
        String[] p = rgb.replaceAll("[^0-9,]", "").split(",");
        double[] c = new double[3];
        for (int i = 0; i < 3; i++) {
            double v = Integer.parseInt(p[i]) / 255.0;
            c[i] = v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    }

    static String svgDataUrl(String colour, String letter) {
        String svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"160\" height=\"48\" viewBox=\"0 0 160 48\">"
                + "<rect width=\"48\" height=\"48\" rx=\"8\" fill=\"" + colour + "\"/>"
                + "<text x=\"24\" y=\"33\" font-size=\"26\" text-anchor=\"middle\" fill=\"#fff\" font-family=\"sans-serif\">" + letter
                + "</text><text x=\"58\" y=\"32\" font-size=\"20\" fill=\"" + colour + "\" font-family=\"sans-serif\">Logo " + letter
                + "</text></svg>";
        return "data:image/svg+xml;base64," + Base64.getEncoder().encodeToString(svg.getBytes(StandardCharsets.UTF_8));
    }

    static HttpResponse<String> httpGet(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Same status, body and headers (but the date): nothing tells the two requests apart. */
    static void assertSameAnswer(HttpResponse<String> actual, HttpResponse<String> expected) {
        assertThat(actual.statusCode()).as(actual.uri().toString()).isEqualTo(expected.statusCode());
        assertThat(actual.body()).as(actual.uri().toString()).isEqualTo(expected.body());
        assertThat(headersButDate(actual)).as(actual.uri().toString()).isEqualTo(headersButDate(expected));
    }

    private static Map<String, List<String>> headersButDate(HttpResponse<String> r) {
        Map<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.putAll(r.headers().map());
        h.remove("date");
        return h;
    }

    /** The brand fingerprint as it was before it was keyed: SHA-256 of the stylesheet, 8 bytes, hex. */
    static String sha256Prefix(String css) throws Exception {
        return HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(css.getBytes(StandardCharsets.UTF_8)), 0, 8);
    }

    static int count(String haystack, String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }
}
