package dev.entrapbx.simulator.notifications;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.entrapbx.simulator.json.Json;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts resource data of a change notification as Graph documents it (change-notifications-with-resource-data,
 * "Decrypting resource data", done in reverse; changeNotificationEncryptedContent):
 * <ol>
 *   <li>a fresh 32-byte symmetric key per notification;</li>
 *   <li>{@code data}: the resource JSON (UTF-8) encrypted with AES/CBC/PKCS5Padding (PKCS7) under that key, the
 *       initialization vector being the first 16 bytes of the key; base64;</li>
 *   <li>{@code dataSignature}: base64 HMAC-SHA256 of the encrypted bytes under the same key;</li>
 *   <li>{@code dataKey}: the key encrypted with the subscriber's certificate public key,
 *       RSA/ECB/OAEPWithSHA1AndMGF1Padding; base64;</li>
 *   <li>{@code encryptionCertificateId}: the subscription's; {@code encryptionCertificateThumbprint}: hexadecimal
 *       SHA-1 of the certificate (upper case, as in the documented example).</li>
 * </ol>
 */
public final class ResourceDataEncryption {
    private static final SecureRandom RANDOM = new SecureRandom();

    private ResourceDataEncryption() { }

    public static ObjectNode encrypt(byte[] resourceJson, X509Certificate certificate, String certificateId) {
        try {
            byte[] key = new byte[32];
            RANDOM.nextBytes(key);
            Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(Arrays.copyOf(key, 16)));
            byte[] data = aes.doFinal(resourceJson);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] signature = mac.doFinal(data);
            Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPWithSHA1AndMGF1Padding");
            rsa.init(Cipher.ENCRYPT_MODE, certificate.getPublicKey());
            byte[] dataKey = rsa.doFinal(key);
            ObjectNode o = Json.object();
            o.put("data", Base64.getEncoder().encodeToString(data));
            o.put("dataSignature", Base64.getEncoder().encodeToString(signature));
            o.put("dataKey", Base64.getEncoder().encodeToString(dataKey));
            o.put("encryptionCertificateId", certificateId);
            o.put("encryptionCertificateThumbprint", thumbprint(certificate));
            return o;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot encrypt resource data: " + e, e);
        }
    }

    public static ObjectNode encrypt(ObjectNode resource, X509Certificate certificate, String certificateId) {
        return encrypt(Json.text(resource).getBytes(StandardCharsets.UTF_8), certificate, certificateId);
    }

    /** Hexadecimal SHA-1 thumbprint of the certificate's DER encoding, upper case. */
    public static String thumbprint(X509Certificate certificate) {
        try {
            return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
