package dev.entrapbx.onboarding;

import dev.entrapbx.core.EntraApp;
import dev.entrapbx.core.EntraCloud;
import dev.entrapbx.core.EntraIdpKeys;
import dev.entrapbx.core.TenantSelector;
import dev.entrapbx.kc.Setting;
import dev.entrapbx.kc.Settings;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.services.ui.extend.UiPageProvider;

/**
 * The partner's one multi-tenant Entra app (registered once, in the partner's own tenant) as a
 * realm stores it: a component of the admin console page "Microsoft 365 partner app"
 * ({@link PartnerAppPageFactory}). Every customer onboarded by admin consent signs in and syncs
 * through it: its client id and credential are copied into the customer's identity provider, and
 * follow it when it changes. Its connection settings use the {@link EntraIdpKeys} names, so
 * {@link #app()} reads them like an identity provider's. Holds the secret; {@link #toString()}
 * never prints it.
 */
public final class PartnerApp {

    public static final String DISPLAY_NAME = "displayName";
    public static final String INVITATION_DAYS = "invitationDays";
    public static final String SIGN_IN_URL = "signInUrl";
    public static final String CHANGED_SYNC_MINUTES = "changedSyncMinutes";
    public static final String FULL_SYNC_HOURS = "fullSyncHours";

    private static final String GUID = "(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    public static final Setting<Optional<String>> DISPLAY_NAME_SETTING = Setting.text(DISPLAY_NAME).label("Name shown to customers")
            .help("What a customer's Microsoft 365 admin sees on the invitation page, e.g. 'Northwind Cloud PBX'. Microsoft's consent page "
                    + "shows the app registration's own name.")
            .required("Name shown to customers is required, e.g. 'Northwind Cloud PBX'.")
            .validator(v -> v.filter(s -> s.length() > 100).map(s -> "Name shown to customers is at most 100 characters."))
            .doc("Shown to the customer's admin on the invitation and result pages.").build();

    public static final Setting<Optional<String>> CLIENT_ID_SETTING = Setting.text(EntraIdpKeys.CLIENT_ID).label("Application (client) ID")
            .help("The partner app's Application (client) ID, from its Overview page in the partner's own Entra tenant. The app must be "
                    + "multi-tenant ('Accounts in any organizational directory').")
            .required("Application (client) ID is required: copy it from the app registration's Overview page.")
            .validator(v -> v.filter(s -> !s.matches(GUID)).map(s -> "Application (client) ID '" + s + "' is not a GUID: copy the "
                    + "Application (client) ID from the app registration's Overview page."))
            .doc("The multi-tenant app registration's client id (GUID).").build();

    public static final Setting<EntraApp.CredentialType> CREDENTIAL_TYPE_SETTING = Setting.of(EntraIdpKeys.CREDENTIAL_TYPE,
                    ProviderConfigProperty.LIST_TYPE, EntraApp.CredentialType::parse, EntraApp.CredentialType.SECRET)
            .label("Credential type")
            .help("'secret': paste the secret's Value into Client secret. 'certificate': leave Certificate empty and type 'generate' into "
                    + "Client secret; on save Keycloak creates a key pair and shows the certificate to upload to the app registration.")
            .options(Arrays.stream(EntraApp.CredentialType.values()).map(EntraApp.CredentialType::id).toList())
            .defaultValue(EntraApp.CredentialType.SECRET.id()).docDefault("`secret`")
            .doc("`secret` or `certificate` (generated on save).").build();

    public static final Setting<Optional<String>> CLIENT_SECRET_SETTING = Setting.text(EntraIdpKeys.CLIENT_SECRET).label("Client secret")
            .help("The secret's Value (or a vault reference such as ${vault.partner_app}); certificate mode: the private key, or "
                    + "'generate'. Masked once saved; copied into every onboarded customer's identity provider.")
            .secret()
            .required("Client secret is required: paste the secret's Value (not its Secret ID), a vault reference, or 'generate' in "
                    + "certificate mode.")
            .doc("Secret mode: the secret's *Value* or `${vault.x}`. Certificate mode: the private key (type `generate`). Masked.").build();

    public static final Setting<Optional<String>> CERTIFICATE_SETTING = Setting.text(EntraIdpKeys.CERTIFICATE)
            .type(ProviderConfigProperty.TEXT_TYPE).label("Certificate (upload to Entra)")
            .help("Certificate mode: the public certificate (PEM) to upload under Certificates & secrets of the partner app. Generated on "
                    + "save when empty.")
            .docDefault("generated").doc("Certificate mode: the public certificate to upload to the app registration.").build();

    public static final Setting<Optional<LocalDate>> SECRET_EXPIRES_ON_SETTING = Setting.date(EntraIdpKeys.SECRET_EXPIRES_ON,
                    v -> "Secret expiry '" + v + "' is not a date: use YYYY-MM-DD as shown under Certificates & secrets.")
            .label("Client secret expires on")
            .help("Expiry date of the client secret (YYYY-MM-DD). Every onboarded customer's identity provider warns 30 days before.")
            .doc("`YYYY-MM-DD`; copied to the customers' identity providers, which warn 30 days before.").build();

    public static final Setting<EntraCloud> CLOUD_SETTING = Setting.of(EntraIdpKeys.CLOUD, ProviderConfigProperty.LIST_TYPE,
                    EntraCloud::parse, EntraCloud.GLOBAL)
            .label("Cloud").help("Microsoft cloud of the partner app and its customers. " + EntraCloud.optionHelp())
            .options(EntraCloud.ids()).defaultValue(EntraCloud.GLOBAL.id())
            .doc("`global`, `us-government`, `us-government-dod`, `china`.").build();

    public static final Setting<Integer> INVITATION_DAYS_SETTING = Setting.number(INVITATION_DAYS, 14).label("Invitation validity (days)")
            .help("How long an invitation link can be used, 1 to 90 days. An unused link then shows 'expired'; create a new invitation.")
            .check(d -> d >= 1 && d <= 90, "Invitation validity must be 1 to 90 days.")
            .doc("1 to 90 days.").build();

    public static final Setting<Optional<String>> SIGN_IN_URL_SETTING = Setting.text(SIGN_IN_URL).label("Sign-in link for customers")
            .help("Where a customer's people sign in (your web or softphone client), shown on the result page. Empty: the realm's account "
                    + "console.")
            .validator(v -> v.filter(s -> !isHttpUrl(s)).map(s -> "Sign-in link '" + s + "' is not an http(s) URL."))
            .docDefault("the realm's account console").doc("Shown to the customer's admin once linked.").build();

    public static final Setting<Integer> CHANGED_SYNC_MINUTES_SETTING = Setting.number(CHANGED_SYNC_MINUTES, 15)
            .label("Changed-users sync (minutes)")
            .help("How often an onboarded customer's changed users are synced (Graph delta), 0 for never, at least 5 otherwise.")
            .check(m -> m == 0 || (m >= 5 && m <= 1440), "Changed-users sync must be 0 (never) or 5 to 1440 minutes.")
            .doc("0 (never) or 5 to 1440 minutes.").build();

    public static final Setting<Integer> FULL_SYNC_HOURS_SETTING = Setting.number(FULL_SYNC_HOURS, 24).label("Full sync (hours)")
            .help("How often an onboarded customer's users are fully reconciled, 0 for never, 1 to 168 otherwise.")
            .check(h -> h >= 0 && h <= 168, "Full sync must be 0 (never) to 168 hours.")
            .doc("0 (never) to 168 hours.").build();

    public static final Setting<Optional<String>> AUTHORITY_HOST_OVERRIDE_SETTING = Setting.text(EntraIdpKeys.AUTHORITY_HOST_OVERRIDE)
            .label("Authority host override (simulator only)")
            .help("Only for the Entra simulator; refused unless the server allows it (the identity provider's allow-authority-override "
                    + "option). Leave empty.")
            .doc("**Simulator only**, gated by `--spi-identity_provider--entra-id--allow-authority-override=true`.").build();

    /** Every setting, in the console's order. */
    public static final List<Setting<?>> SETTINGS = List.of(DISPLAY_NAME_SETTING, CLIENT_ID_SETTING, CREDENTIAL_TYPE_SETTING,
            CLIENT_SECRET_SETTING, CERTIFICATE_SETTING, SECRET_EXPIRES_ON_SETTING, CLOUD_SETTING, INVITATION_DAYS_SETTING,
            SIGN_IN_URL_SETTING, CHANGED_SYNC_MINUTES_SETTING, FULL_SYNC_HOURS_SETTING, AUTHORITY_HOST_OVERRIDE_SETTING);

    public static final List<ProviderConfigProperty> PROPERTIES = Settings.properties(SETTINGS);

    /** The keys copied into each onboarded customer's identity provider (and kept in step on every save). */
    static final List<String> COPIED_TO_IDENTITY_PROVIDERS = List.of(EntraIdpKeys.CLIENT_ID, EntraIdpKeys.CLIENT_SECRET,
            EntraIdpKeys.CREDENTIAL_TYPE, EntraIdpKeys.CERTIFICATE, EntraIdpKeys.SECRET_EXPIRES_ON, EntraIdpKeys.CLOUD,
            EntraIdpKeys.AUTHORITY_HOST_OVERRIDE);

    private final ComponentModel model;
    private final Setting.Values values;

    private PartnerApp(ComponentModel model) {
        this.model = model;
        this.values = Setting.Values.of(model.getConfig());
    }

    public static PartnerApp of(ComponentModel model) {
        return new PartnerApp(model);
    }

    /** The realm's partner app, when one is configured. */
    public static Optional<PartnerApp> of(RealmModel realm) {
        return realm.getComponentsStream(realm.getId(), UiPageProvider.class.getName())
                .filter(c -> PartnerAppPageFactory.PROVIDER_ID.equals(c.getProviderId()))
                .findFirst().map(PartnerApp::new);
    }

    public ComponentModel model() {
        return model;
    }

    /** Every problem of the stored values, each a sentence saying what to fix. */
    public List<String> problems() {
        return Settings.problems(SETTINGS, values);
    }

    public String displayName() {
        return DISPLAY_NAME_SETTING.get(values).orElse("your phone system provider");
    }

    public String clientId() {
        return CLIENT_ID_SETTING.get(values).orElse("");
    }

    public EntraApp.CredentialType credentialType() {
        return CREDENTIAL_TYPE_SETTING.get(values);
    }

    public Optional<String> certificatePem() {
        return CERTIFICATE_SETTING.get(values);
    }

    public Duration invitationValidity() {
        return Duration.ofDays(INVITATION_DAYS_SETTING.get(values));
    }

    public Optional<String> signInUrl() {
        return SIGN_IN_URL_SETTING.get(values);
    }

    public int changedSyncMinutes() {
        return CHANGED_SYNC_MINUTES_SETTING.get(values);
    }

    public int fullSyncHours() {
        return FULL_SYNC_HOURS_SETTING.get(values);
    }

    /** The app as the rest of entra-pbx reads an Entra app (multi-tenant: use {@link EntraApp#withTenant} for one customer). */
    public EntraApp app() {
        return EntraApp.ofSettings("partner app", key -> EntraIdpKeys.TENANT.equals(key) ? TenantSelector.ORGANIZATIONS : model.get(key));
    }

    private static boolean isHttpUrl(String s) {
        try {
            URI u = URI.create(s.trim());
            return ("https".equalsIgnoreCase(u.getScheme()) || "http".equalsIgnoreCase(u.getScheme())) && u.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "PartnerApp[" + displayName() + ", clientId=" + clientId() + ", credential=" + credentialType().id() + "]";
    }
}
