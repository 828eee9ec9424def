package dev.entrapbx.kc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Version of the entra-pbx extensions, as shown in the admin console's Provider info
 * (every factory returns {@link #operationalInfo()} from {@code getOperationalInfo()}).
 */
public final class ExtensionInfo {

    private static final String RESOURCE = "/META-INF/entra-pbx.properties";
    private static final Map<String, String> INFO = load();

    private ExtensionInfo() {
    }

    public static String version() {
        return INFO.get("version");
    }

    /** An unmodifiable map: {@code entra-pbx-version}, {@code keycloak-compiled-against}. */
    public static Map<String, String> operationalInfo() {
        Map<String, String> info = new LinkedHashMap<>();
        info.put("entra-pbx-version", INFO.get("version"));
        info.put("keycloak-compiled-against", INFO.get("keycloak.compiled-against"));
        return Map.copyOf(info);
    }

    private static Map<String, String> load() {
        Properties p = new Properties();
        try (InputStream in = ExtensionInfo.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from entra-core: broken build");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> m = new LinkedHashMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
        return Map.copyOf(m);
    }
}
