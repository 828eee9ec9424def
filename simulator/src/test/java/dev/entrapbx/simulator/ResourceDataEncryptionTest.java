package dev.entrapbx.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.entrapbx.simulator.json.Json;
import dev.entrapbx.simulator.notifications.ResourceDataEncryption;
import dev.entrapbx.simulator.tls.Certificates;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * encryptedContent decrypted exactly as "Decrypting resource data" (change-notifications-with-resource-data) tells a
 * subscriber to: RSA OAEP for dataKey, HMAC-SHA256 of data compared with dataSignature, AES-CBC PKCS7 with the first
 * 16 bytes of the key as initialization vector.
 */
class ResourceDataEncryptionTest {

    static String decrypt(ObjectNode encryptedContent, KeyPair keys) throws Exception {
        Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPWithSHA1AndMGF1Padding");
        rsa.init(Cipher.DECRYPT_MODE, keys.getPrivate());
        byte[] key = rsa.doFinal(Base64.getDecoder().decode(encryptedContent.get("dataKey").asText()));
        byte[] data = Base64.getDecoder().decode(encryptedContent.get("data").asText());
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        if (!MessageDigest.isEqual(mac.doFinal(data),
                Base64.getDecoder().decode(encryptedContent.get("dataSignature").asText()))) {
            throw new SecurityException("dataSignature does not match: tampered payload");
        }
        Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
        aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(Arrays.copyOf(key, 16)));
        return new String(aes.doFinal(data), StandardCharsets.UTF_8);
    }

    @Test
    void roundTripsWithTheDocumentedDecryptionAndDetectsTampering() throws Exception {
        KeyPair keys = Certificates.rsaKeyPair();
        X509Certificate cert = Certificates.selfSigned(keys, "CN=receiver", Duration.ofDays(1));
        ObjectNode presence = Json.object().put("id", "u1").put("availability", "Busy").put("activity", "InACall");
        ObjectNode ec = ResourceDataEncryption.encrypt(presence, cert, "cert-7");
        assertThat(Json.parse(decrypt(ec, keys))).isEqualTo(presence);
        assertThat(ec.get("encryptionCertificateId").asText()).isEqualTo("cert-7");
        assertThat(ec.get("encryptionCertificateThumbprint").asText()).isEqualTo(HexFormat.of().withUpperCase()
                .formatHex(MessageDigest.getInstance("SHA-1").digest(cert.getEncoded())));
        // a fresh key per notification
        assertThat(ResourceDataEncryption.encrypt(presence, cert, "cert-7").get("dataKey").asText())
                .isNotEqualTo(ec.get("dataKey").asText());
        byte[] data = Base64.getDecoder().decode(ec.get("data").asText());
        data[0] ^= 1;
        ec.put("data", Base64.getEncoder().encodeToString(data));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> decrypt(ec, keys)).isInstanceOf(SecurityException.class);
    }
}
