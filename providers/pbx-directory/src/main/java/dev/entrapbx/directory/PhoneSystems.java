package dev.entrapbx.directory;

import dev.entrapbx.sync.PhoneSystemSync;
import dev.entrapbx.kc.Setting;
import dev.entrapbx.sync.EntraSyncConfig;
import java.util.Optional;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.RealmModel;

/** What the directory knows of a phone system besides its members: its Entra user sync. */
final class PhoneSystems {

    private PhoneSystems() {
    }

    /** Whether the phone system's sync gives no extensions (extension mode {@code none}). */
    static boolean extensionsOff(RealmModel realm, String organizationId, String organizationAlias) {
        return extensionsOff(PhoneSystemSync.ofOrganization(realm, organizationId, organizationAlias));
    }

    static boolean extensionsOff(Optional<ComponentModel> sync) {
        return sync.map(c -> EntraSyncConfig.EXTENSION_MODE_SETTING.getOrDefault(Setting.Values.of(c.getConfig()))
                == EntraSyncConfig.ExtensionMode.NONE).orElse(false);
    }

    /** The phone system's region for national numbers (its sync's {@code phoneRegion}); null when none is set. */
    static String region(RealmModel realm, String organizationId, String organizationAlias) {
        return realm == null ? null : region(PhoneSystemSync.ofOrganization(realm, organizationId, organizationAlias));
    }

    static String region(Optional<ComponentModel> sync) {
        return sync.flatMap(c -> new EntraSyncConfig(c).phoneRegion()).orElse(null);
    }
}
