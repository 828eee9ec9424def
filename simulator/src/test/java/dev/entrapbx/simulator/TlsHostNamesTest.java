package dev.entrapbx.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.entrapbx.simulator.tls.TlsMaterial;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Extra DNS names (a compose service name) end up in the server certificate; the CA stays. */
class TlsHostNamesTest {

    @TempDir
    Path dir;

    @Test
    void extraHostNameReissuesTheServerCertificateUnderTheSameCa() throws Exception {
        TlsMaterial plain = TlsMaterial.loadOrCreate(dir);
        assertThat(dnsNames(plain)).containsExactly("localhost");

        TlsMaterial named = TlsMaterial.loadOrCreate(dir, List.of("simulator"));
        assertThat(dnsNames(named)).containsExactlyInAnyOrder("localhost", "simulator");
        assertThat(named.certificateAuthority()).isEqualTo(plain.certificateAuthority());

        // the stored certificate is reused when it already covers the names
        assertThat(leaf(TlsMaterial.loadOrCreate(dir, List.of("simulator")))).isEqualTo(leaf(named));
    }

    private static List<String> dnsNames(TlsMaterial tls) throws Exception {
        return leaf(tls).getSubjectAlternativeNames().stream()
                .filter(san -> Objects.equals(san.get(0), 2))
                .map(san -> String.valueOf(san.get(1)))
                .toList();
    }

    private static X509Certificate leaf(TlsMaterial tls) {
        return tls.serverCertificate();
    }
}
