package dev.entrapbx.branding;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.keycloak.crypto.KeyUse;
import org.keycloak.crypto.KeyWrapper;
import org.keycloak.models.Constants;
import org.keycloak.models.KeyManager;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.organization.OrganizationProvider;

/**
 * {@link BrandResource#answer}: only the keyed fingerprint unlocks an organization's stylesheet;
 * every other request gets exactly the realm's answer (body, ETag, caching), whatever the alias.
 */
class BrandResourceTest {

    static final byte[] KEY = "realm-hmac-key-".repeat(4).getBytes(StandardCharsets.UTF_8);

    final Map<String, OrganizationModel> organizations = new HashMap<>();
    boolean organizationsEnabled = true;
    byte[] realmKey = KEY;

    final RealmModel realm = proxy(RealmModel.class, m -> switch (m) {
        case "getName" -> a -> "partner";
        case "getDisplayName" -> a -> "Partner Voice";
        case "getAttributes" -> a -> Map.of("brand.primaryColor", "#c8102e", "brand.accentColor", "#00205b");
        case "isOrganizationsEnabled" -> a -> organizationsEnabled;
        default -> null;
    });
    final OrganizationProvider orgs = proxy(OrganizationProvider.class, m -> switch (m) {
        case "getByAlias" -> a -> organizations.get((String) a[0]);
        default -> null;
    });
    final KeyManager keys = proxy(KeyManager.class, m -> switch (m) {
        case "getActiveKey" -> a -> {
            assertThat(a[1]).isEqualTo(KeyUse.SIG);
            assertThat(a[2]).isEqualTo(Constants.INTERNAL_SIGNATURE_ALGORITHM);
            if (realmKey == null) {
                // what Keycloak's key manager does when a realm has no such key and none can be made
                throw new RuntimeException("Failed to find key: realm=partner algorithm=HS512 use=SIG");
            }
            KeyWrapper k = new KeyWrapper();
            k.setSecretKey(new SecretKeySpec(realmKey, "HmacSHA512"));
            return k;
        };
        default -> null;
    });
    final KeycloakSession session = proxy(KeycloakSession.class, m -> switch (m) {
        case "keys" -> a -> keys;
        case "getProvider" -> a -> a[0] == OrganizationProvider.class ? orgs : null;
        default -> null;
    });
    final BrandResource resource = new BrandResource(session);

    BrandResourceTest() {
        organizations.put("acme", organization("acme", true, "#1565c0"));
        organizations.put("globex", organization("globex", true, "#1565c0"));
        organizations.put("initech", organization("initech", false, "#2e7d32"));
    }

    @Test
    void theOrganizationsStylesheetNeedsItsKeyedFingerprint() {
        String v = keyed("acme");
        BrandResource.Answer answer = resource.answer(realm, "acme", v);
        assertThat(answer.css()).contains("--brand-primary: #1565c0;", "--brand-accent: #00205b;");
        assertThat(answer.fingerprint()).isEqualTo(v);
        assertThat(answer.cacheControl()).contains("immutable");
    }

    @Test
    void everyOtherRequestGetsExactlyTheRealmsAnswer() {
        BrandResource.Answer realmOnly = resource.answer(realm, null, null);
        assertThat(realmOnly.css()).contains("--brand-primary: #c8102e;").doesNotContain("#1565c0");
        assertThat(realmOnly.cacheControl()).isEqualTo("no-cache");

        String orgCss = resource.answer(realm, "acme", keyed("acme")).css();
        // the old, unkeyed fingerprint: what an outsider computes from the guessed colours
        String guess = BrandTest.sha256Prefix(orgCss);
        for (String wrong : List.of(guess, "0123456789abcdef", "", keyed("acme").toUpperCase())) {
            assertThat(resource.answer(realm, "acme", wrong)).as("acme, v=" + wrong).isEqualTo(resource.answer(realm, null, wrong))
                    .isEqualTo(resource.answer(realm, "no-such-alias", wrong));
        }
        assertThat(resource.answer(realm, "acme", null)).isEqualTo(realmOnly).isEqualTo(resource.answer(realm, "no-such-alias", null));
        assertThat(resource.answer(realm, "no-such-alias", keyed("no-such-alias"))).isEqualTo(resource.answer(realm, null, keyed("no-such-alias")));
        assertThat(resource.answer(realm, "globex", keyed("acme"))).as("acme's v for another organization with the same colours")
                .isEqualTo(resource.answer(realm, null, keyed("acme")));
        assertThat(resource.answer(realm, "initech", keyed("initech"))).as("a disabled organization")
                .isEqualTo(resource.answer(realm, null, keyed("initech")));
    }

    @Test
    void theRealmsFingerprintCachesTheRealmsAnswerAndUnlocksNoOrganization() {
        String realmV = resource.answer(realm, null, null).fingerprint();
        BrandResource.Answer cached = resource.answer(realm, null, realmV);
        assertThat(cached.cacheControl()).contains("immutable");
        assertThat(cached.fingerprint()).isEqualTo(realmV);
        assertThat(resource.answer(realm, "acme", realmV)).isEqualTo(cached).isEqualTo(resource.answer(realm, "no-such-alias", realmV));
    }

    @Test
    void withoutTheRealmsKeyOrOrganizationsNoOrganizationValuesAreServed() {
        String v = keyed("acme");
        realmKey = null;
        assertThat(resource.answer(realm, "acme", v)).isEqualTo(resource.answer(realm, null, v));
        assertThat(resource.answer(realm, "acme", v).css()).doesNotContain("#1565c0");

        realmKey = KEY;
        organizationsEnabled = false;
        assertThat(resource.answer(realm, "acme", v)).isEqualTo(resource.answer(realm, null, v));
    }

    @Test
    void aRotatedKeyChangesTheOrganizationsFingerprint() {
        String before = keyed("acme");
        realmKey = "rotated-hmac-key".repeat(4).getBytes(StandardCharsets.UTF_8);
        assertThat(keyed("acme")).isNotEqualTo(before);
        assertThat(resource.answer(realm, "acme", before)).isEqualTo(resource.answer(realm, null, before));
        assertThat(resource.answer(realm, "acme", keyed("acme")).css()).contains("#1565c0");
    }

    /** The {@code v} the login page of an organization's member carries. */
    private String keyed(String alias) {
        OrganizationModel org = organizations.get(alias);
        Brand brand = org == null ? BrandResolver.forRealm(realm, null) : BrandResolver.forRealm(realm, org);
        return brand.fingerprint(realmKey, alias);
    }

    private static OrganizationModel organization(String alias, boolean enabled, String primary) {
        return proxy(OrganizationModel.class, m -> switch (m) {
            case "getAlias" -> a -> alias;
            case "isEnabled" -> a -> enabled;
            case "getAttributes" -> a -> Map.of("brand.primaryColor", List.of(primary));
            default -> null;
        });
    }

    /** An interface whose named methods answer; any other call fails the test. */
    @SuppressWarnings("unchecked")
    static <T> T proxy(Class<T> type, Function<String, Function<Object[], Object>> methods) {
        return (T) Proxy.newProxyInstance(BrandResourceTest.class.getClassLoader(), new Class<?>[] {type}, (p, method, args) -> {
            Function<Object[], Object> f = methods.apply(method.getName());
            if (f == null) {
                throw new UnsupportedOperationException(type.getSimpleName() + "." + method.getName());
            }
            return f.apply(args);
        });
    }
}
