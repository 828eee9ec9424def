package dev.entrapbx.directory.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TargetCheckTest {

    /** A fixed name table: names resolve as listed, IP literals as themselves, anything else is unknown. */
    private static final Map<String, String[]> NAMES = Map.of(
            "pbx.example.com", new String[] {"93.184.216.34"},
            "pbx6.example.com", new String[] {"2606:2800:220:1:248:1893:25c8:1946"},
            "rebind.example.com", new String[] {"127.0.0.1"},
            "internal.example.com", new String[] {"10.1.2.3"},
            "mixed.example.com", new String[] {"93.184.216.34", "192.168.0.10"},
            "ula.example.com", new String[] {"fd12:3456:789a::1"});

    private static InetAddress[] resolve(String host) throws UnknownHostException {
        String[] a = NAMES.get(host);
        if (a == null) {
            if (host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || Character.isDigit(c))) {
                return new InetAddress[] {InetAddress.getByName(host)};
            }
            throw new UnknownHostException(host);
        }
        InetAddress[] out = new InetAddress[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = InetAddress.getByName(a[i]);
        }
        return out;
    }

    private final TargetCheck strict = new TargetCheck(false, TargetCheckTest::resolve);
    private final TargetCheck lenient = new TargetCheck(true, TargetCheckTest::resolve);

    @Test
    void aPublicHttpsUrlIsAccepted() {
        assertThat(strict.check(" https://pbx.example.com/hooks/keycloak?x=1 ").toString()).isEqualTo("https://pbx.example.com/hooks/keycloak?x=1");
        assertThat(strict.check("HTTPS://pbx6.example.com:8443/h")).isNotNull();
        assertThat(strict.check("https://93.184.216.34/h")).isNotNull();
    }

    @Test
    void onlyAbsoluteHttpsWithoutUserInfoOrFragment() {
        assertThatThrownBy(() -> strict.check("http://pbx.example.com/h")).hasMessageContaining("must use https")
                .hasMessageContaining("https://pbx.example.com/h");
        assertThatThrownBy(() -> strict.check("ftp://pbx.example.com/h")).hasMessageContaining("must use https");
        assertThatThrownBy(() -> strict.check("/hooks")).hasMessageContaining("must be absolute");
        assertThatThrownBy(() -> strict.check("pbx.example.com/hooks")).hasMessageContaining("must be absolute");
        assertThatThrownBy(() -> strict.check("https://user:pw@pbx.example.com/h")).hasMessageContaining("user name or password");
        assertThatThrownBy(() -> strict.check("https://pbx.example.com/h#frag")).hasMessageContaining("fragment");
        assertThatThrownBy(() -> strict.check("https://pbx example.com/")).hasMessageContaining("not a valid URL");
        assertThatThrownBy(() -> strict.check("")).hasMessageContaining("'url' is required");
        assertThatThrownBy(() -> strict.check(null)).hasMessageContaining("'url' is required");
        assertThatThrownBy(() -> strict.check("https://nowhere.invalid/h")).hasMessageContaining("does not resolve");
        assertThatThrownBy(() -> strict.check("https://pbx.example.com/" + "a".repeat(2100))).hasMessageContaining("longer than");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://127.0.0.1/h", "https://127.8.9.10/h", "https://10.0.0.1/", "https://172.16.0.1/", "https://172.31.255.254/",
            "https://192.168.1.1/", "https://169.254.169.254/latest/meta-data", "https://100.64.0.1/", "https://0.0.0.0/", "https://224.0.0.1/",
            "https://[::1]/h", "https://[::]/h", "https://[fe80::1]/h", "https://[fd00::1]/h", "https://[fc00::5]/h", "https://[::ffff:10.0.0.1]/h",
            "https://[::ffff:127.0.0.1]/h", "https://[64:ff9b::a00:1]/h", "https://[ff02::1]/h",
            "https://rebind.example.com/h", "https://internal.example.com/h", "https://mixed.example.com/h", "https://ula.example.com/h"})
    void privateLoopbackLinkLocalAndUniqueLocalTargetsAreRefused(String url) {
        assertThatThrownBy(() -> strict.check(url)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("public addresses only")
                .hasMessageContaining("--spi-pbx-webhooks--default--allow-private-targets=true");
        assertThat(lenient.check(url)).as("allowed by the server option").isNotNull();
    }

    @Test
    void theMessageNamesTheAddressAndItsKind() {
        assertThatThrownBy(() -> strict.check("https://rebind.example.com/h")).hasMessageContaining("'rebind.example.com' resolves to 127.0.0.1, a loopback address");
        assertThatThrownBy(() -> strict.check("https://10.0.0.1/")).hasMessageContaining("'10.0.0.1' is 10.0.0.1, a private (RFC 1918) address");
        assertThatThrownBy(() -> strict.check("https://[fd00::1]/")).hasMessageContaining("unique-local (fc00::/7)");
    }

    @Test
    void localhostThroughTheRealResolverIsRefused() {
        TargetCheck real = new TargetCheck(false, TargetCheck.DNS);
        assertThatThrownBy(() -> real.check("https://localhost:8443/h")).hasMessageContaining("loopback");
    }

    @Test
    void evenWithTheOptionTheUrlRulesStay() {
        assertThatThrownBy(() -> lenient.check("http://127.0.0.1/h")).hasMessageContaining("must use https");
        assertThatThrownBy(() -> lenient.check("https://nowhere.invalid/h")).hasMessageContaining("does not resolve");
    }

    @Test
    void publicAddressesAreNotClassifiedAsPrivate() throws Exception {
        for (String a : new String[] {"8.8.8.8", "172.32.0.1", "172.15.255.255", "100.128.0.1", "192.169.0.1", "2001:4860:4860::8888"}) {
            assertThat(TargetCheck.nonPublic(InetAddress.getByName(a))).as(a).isNull();
        }
    }
}
