package dev.entrapbx.sync;

import dev.entrapbx.core.EntraCloud;
import dev.entrapbx.core.EntraIdpKeys;
import dev.entrapbx.core.TenantSelector;
import dev.entrapbx.kc.Setting;
import dev.entrapbx.kc.Settings;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;
import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.component.ComponentModel;
import org.keycloak.provider.ProviderConfigProperty;

/**
 * Typed, null-safe view of an {@code entra-users} component's configuration. Every setting is
 * declared once in {@link #SETTINGS} (key, console label and help, default, options, parser,
 * validator): the factory's property list, the getters below, {@link #problems()} and README's
 * settings table (checked by a test) all come from it. {@link #problems()} lists what is wrong, in
 * words that say what to fix; the factory refuses to save a component with problems.
 */
public final class EntraSyncConfig {

    // the keys; the connection keys are core's (an IdP stores the same settings under the same names)
    public static final String ORGANIZATION = "organization";
    public static final String IDP_ALIAS = "identityProvider";
    public static final String REUSE_IDP_CREDENTIALS = EntraIdpKeys.REUSE_IDP_CREDENTIALS;
    public static final String CLOUD = EntraIdpKeys.CLOUD;
    public static final String TENANT = EntraIdpKeys.TENANT;
    public static final String CLIENT_ID = EntraIdpKeys.CLIENT_ID;
    public static final String CLIENT_SECRET = EntraIdpKeys.CLIENT_SECRET;
    public static final String SECRET_EXPIRES_ON = EntraIdpKeys.SECRET_EXPIRES_ON;
    public static final String AUTHORITY_HOST_OVERRIDE = EntraIdpKeys.AUTHORITY_HOST_OVERRIDE;
    public static final String SCOPE = "scope";
    public static final String GROUP_IDS = "groupIds";
    public static final String FILTER = "filter";
    public static final String INCLUDE_GUESTS = "includeGuests";
    public static final String INCLUDE_DISABLED = "includeDisabledAccounts";
    public static final String USERNAME_SOURCE = "usernameSource";
    public static final String EXTRA_MAPPINGS = "extraMappings";
    public static final String SYNC_PHOTOS = "syncPhotos";
    public static final String GROUP_MIRROR = "groupMirror";
    public static final String EXTENSION_MODE = "extensionMode";
    public static final String EXTENSION_RANGE = "extensionRange";
    public static final String EXTENSION_SOURCE = "extensionSource";
    public static final String EXTENSION_PATTERN = "extensionPattern";
    public static final String QUARANTINE_DAYS = "extensionQuarantineDays";
    public static final String DELETE_GRACE_DAYS = "deleteGraceDays";
    public static final String GUARD_MAX_USERS = "guardMaxUsers";
    public static final String GUARD_MAX_PERCENT = "guardMaxPercent";
    public static final String RUNS_KEPT = "runsKept";
    public static final String PHONE_REGION = "phoneRegion";
    public static final String CONTACTS_PERSONAL = "contactsPersonal";
    public static final String CONTACTS_SHARED_MAILBOXES = "contactsSharedMailboxes";
    public static final String CONTACTS_ORGANIZATIONAL = "contactsOrganizational";
    public static final String CONTACTS_FOLDERS = "contactsFolders";
    public static final String CONTACTS_PERSONAL_REFRESH = "contactsPersonalRefreshMinutes";
    public static final String PRESENCE = "presence";
    public static final String PRESENCE_INTERVAL = "presenceIntervalSeconds";
    public static final String PRESENCE_CALENDAR = "presenceCalendar";
    public static final String PRESENCE_FROM_PBX = "presenceFromPbx";
    public static final String PRESENCE_FROM_PBX_MINUTES = "presenceFromPbxMinutes";
    public static final String USER_CHANGE_NOTIFICATIONS = "userChangeNotifications";
    public static final String NOTIFICATION_URL = "notificationUrl";

    public static final String NEVER = "never";
    private static final Pattern MAILBOX = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    public static final String DEFAULT_EXTENSION_PATTERN = "(\\d{4})$";
    public static final String DEFAULT_RANGE = "1000-8999";

    public enum Scope {
        ALL("all"), GROUPS("groups"), FILTER("filter");

        private final String id;

        Scope(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    public enum UsernameSource {
        UPN("userPrincipalName"), MAIL("mail");

        private final String id;

        UsernameSource(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    public enum ExtensionMode {
        RANGE("range"), ATTRIBUTE("attribute"), NONE("none");

        private final String id;

        ExtensionMode(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    /** Which Entra groups are mirrored as Keycloak groups under the Organization's parent group ({@link GroupMirror}). */
    public enum GroupMirrorMode {
        ALL("all"), IN_SCOPE("in-scope"), NONE("none");

        private final String id;

        GroupMirrorMode(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    /** Which of a mailbox's contact folders are read. */
    public enum ContactFolders {
        DEFAULT("default"), ALL("all");

        private final String id;

        ContactFolders(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    /** An inclusive range of extension numbers, e.g. 1000-8999. */
    public record Range(long from, long to) {
        @Override
        public String toString() {
            return from + "-" + to;
        }

        static Range parse(String v) {
            String[] parts = v.trim().split("\\s*-\\s*");
            if (parts.length != 2 || !parts[0].matches("\\d{1,15}") || !parts[1].matches("\\d{1,15}")) {
                throw new IllegalArgumentException("Extension range '" + v + "' must look like 1000-8999 (first and last number, digits only).");
            }
            Range r = new Range(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
            if (r.from > r.to) {
                throw new IllegalArgumentException("Extension range '" + v + "' ends before it starts: write the lower number first.");
            }
            return r;
        }
    }

    /** An extra "Entra property -> Keycloak attribute" pair. */
    public record Mapping(String entraProperty, String attribute) {

        static Mapping parse(String line) {
            int eq = line.indexOf('=');
            if (eq <= 0 || eq == line.length() - 1) {
                throw new IllegalArgumentException("Extra mapping '" + line
                        + "' must be 'entraProperty=keycloakAttribute', e.g. 'companyName=company'.");
            }
            return new Mapping(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
        }

        Optional<String> problem() {
            if (!entraProperty.matches("[A-Za-z][A-Za-z0-9]*(\\[\\d+])?(\\.[A-Za-z][A-Za-z0-9]*)?")) {
                return Optional.of("Extra mapping: '" + entraProperty + "' is not a Graph user property name (e.g. companyName, businessPhones[1]).");
            }
            if (!attribute.matches("[A-Za-z0-9._-]+")) {
                return Optional.of("Extra mapping: attribute name '" + attribute + "' may only contain letters, digits, '.', '_' and '-'.");
            }
            return Optional.empty();
        }
    }

    private static final String OWN_CREDENTIALS_ONLY = "when the credentials are not taken from the Entra identity provider";

    // ---- where users go ----

    public static final Setting<Optional<String>> ORGANIZATION_SETTING = Setting.text(ORGANIZATION).label("Organization")
            .help("Alias of the customer Organization (phone system) whose members the synced users become. "
                    + "Extensions are unique within it.")
            .required("Organization is required: the alias (or id) of the customer Organization whose members these users become.")
            .doc("Alias (or id) of the customer Organization; extensions are unique within it.").build();

    public static final Setting<Optional<String>> IDP_ALIAS_SETTING = Setting.text(IDP_ALIAS).label("Entra identity provider")
            .help("Alias of the organization's Microsoft Entra ID identity provider. Synced users are linked to it, so their "
                    + "first Microsoft sign-in needs no matching. Empty: the organization's only Entra ID provider.")
            .docDefault("the Organization's only `entra-id` IdP").doc("Users are linked to it at import.").build();

    // ---- connection ----

    public static final Setting<Boolean> REUSE_IDP_CREDENTIALS_SETTING = Setting.flag(REUSE_IDP_CREDENTIALS, true)
            .label("Use the identity provider's credentials")
            .help("On: cloud, tenant, client ID and credential (secret or certificate) come from the identity provider, so "
                    + "they are typed once. Off: fill in the connection fields below. The app needs the application permissions "
                    + "User.Read.All (and GroupMember.Read.All for group scope, Domain.Read.All for verified emails).")
            .doc("Off: fill in Tenant, Cloud, Client ID, Client secret (`${vault.x}` works) below.").build();

    public static final Setting<Optional<String>> TENANT_SETTING = Setting.text(TENANT).label("Tenant")
            .help("The customer's directory (tenant) ID or verified domain. Needed when the credentials are not the "
                    + "identity provider's, or when that provider is multi-tenant.")
            .required("Tenant is required " + OWN_CREDENTIALS_ONLY + ": the customer's tenant ID (GUID) or verified domain.")
            .when(EntraSyncConfig::ownCredentials)
            .docDefault("the IdP's").doc("Needed with own credentials, or when the IdP is multi-tenant (`organizations`).").build();

    public static final Setting<EntraCloud> CLOUD_SETTING = Setting.of(CLOUD, ProviderConfigProperty.LIST_TYPE,
EntraCloud::parse, EntraCloud.GLOBAL)
            .label("Cloud").help("Microsoft cloud of the tenant (own credentials only). " + EntraCloud.optionHelp())
            .options(EntraCloud.ids()).defaultValue(EntraCloud.GLOBAL.id())
            .doc("Own credentials: `global`, `us-government` (L4), `us-government-dod` (L5), `china` (21Vianet).").build();

    public static final Setting<Optional<String>> CLIENT_ID_SETTING = Setting.text(CLIENT_ID).label("Client ID")
            .help("Application (client) ID of the app registration (own credentials only).")
            .required("Client ID is required " + OWN_CREDENTIALS_ONLY + ".")
            .when(EntraSyncConfig::ownCredentials)
            .validator(id -> id.filter(v -> !TenantSelector.isTenantId(v)).map(v -> "Client ID '" + v
                    + "' is not a GUID: copy the Application (client) ID of the app registration."))
            .docDefault("the IdP's").doc("Own credentials: Application (client) ID of the app registration.").build();

    public static final Setting<Optional<String>> CLIENT_SECRET_SETTING = Setting.text(CLIENT_SECRET).label("Client secret")
            .help("The client secret's Value, or a vault reference such as ${vault.entra_sync_secret} (own credentials only).")
            .secret()
            .required("Client secret is required " + OWN_CREDENTIALS_ONLY
                    + " (the secret's Value, or a vault reference such as ${vault.entra_secret}).")
            .when(EntraSyncConfig::ownCredentials)
            .docDefault("the IdP's").doc("Own credentials: the secret's *Value*, or a vault reference `${vault.entra_sync_secret}`.").build();

    public static final Setting<Optional<LocalDate>> SECRET_EXPIRES_ON_SETTING = Setting.date(SECRET_EXPIRES_ON,
                    v -> "Client secret expiry '" + v + "' is not a date: use YYYY-MM-DD as shown in the app registration's Certificates & secrets page.")
            .label("Client secret expires on")
            .help("Expiry date of the client secret (YYYY-MM-DD), as shown under Certificates & secrets (own credentials "
                    + "only). Warnings (server log, admin event) start 30 days before.")
            .when(EntraSyncConfig::ownCredentials)
            .doc("Own credentials: `YYYY-MM-DD`; warnings (server log, admin event `ENTRA_CREDENTIAL`) start 30 days before.").build();

    public static final Setting<Optional<String>> AUTHORITY_HOST_OVERRIDE_SETTING = Setting.text(AUTHORITY_HOST_OVERRIDE)
            .label("Authority host override (simulator only)")
            .help("For the Entra simulator in development and tests only; refused unless the server allows it.")
            .doc("**Simulator only.** Refused unless the server runs with "
                    + "`--spi-storage--entra-users--allow-authority-override=true`.").build();

    // ---- scope ----

    public static final Setting<Scope> SCOPE_SETTING = Setting.choice(SCOPE, Scope::id,
                    v -> "Scope '" + v + "' is unknown: use all, groups or filter.", Scope.ALL, Scope.values())
            .label("Scope")
            .help("Which users: 'all' members of the tenant, members of the 'groups' below (nested groups included), "
                    + "or users matching the OData 'filter' below.")
            .doc("`all` members; `groups` (transitive members of `groupIds`, group object ids); `filter` (an OData `$filter` "
                    + "on users, sent as an advanced query).").build();

    public static final Setting<List<String>> GROUP_IDS_SETTING = Setting.list(GROUP_IDS, ",").label("Groups (object IDs)")
            .help("Scope 'groups': the Object IDs of the Entra groups whose members (transitively) are synced.")
            .required("Scope 'groups' needs at least one group object id (a GUID from Entra's Groups page).")
            .when(v -> scopeOf(v) == Scope.GROUPS)
            .validator(ids -> Optional.of(ids.stream().filter(g -> !TenantSelector.isTenantId(g))
                    .map(g -> "Group '" + g + "' is not an object id: use the group's Object ID (a GUID), not its name.")
                    .collect(Collectors.joining(" "))).filter(s -> !s.isEmpty()))
            .doc("Scope `groups`: the Entra groups' Object IDs (GUIDs, not names); their members are synced, nested groups included.").build();

    public static final Setting<Optional<String>> FILTER_SETTING = Setting.text(FILTER).label("OData filter")
            .help("Scope 'filter': a Graph $filter on users, e.g. department eq 'Sales' or "
                    + "onPremisesExtensionAttributes/extensionAttribute1 ne null (sent as an advanced query).")
            .required("Scope 'filter' needs an OData filter, e.g. department eq 'Sales'.")
            .when(v -> scopeOf(v) == Scope.FILTER)
            .doc("Scope `filter`: a Graph `$filter` on users, e.g. `department eq 'Sales'`.").build();

    public static final Setting<Boolean> INCLUDE_GUESTS_SETTING = Setting.flag(INCLUDE_GUESTS, false).label("Include guests")
            .help("Also sync guest accounts (userType Guest). Off by default.")
            .doc("Guests (`userType eq 'Guest'`) are left out by default.").build();

    public static final Setting<Boolean> INCLUDE_DISABLED_SETTING = Setting.flag(INCLUDE_DISABLED, false)
            .label("Include disabled accounts")
            .help("Also sync accounts disabled in Entra (imported disabled). Off: a disabled account is disabled here and "
                    + "deleted after the grace period.")
            .doc("Accounts disabled in Entra are left out by default (a synced user who is disabled in Entra is disabled here, "
                    + "then deleted after the grace period).").build();

    // ---- mapping ----

    public static final Setting<UsernameSource> USERNAME_SOURCE_SETTING = Setting.choice(USERNAME_SOURCE, UsernameSource::id,
                    v -> "Username source '" + v + "' is unknown: use userPrincipalName or mail.", UsernameSource.UPN,
                    UsernameSource.values())
            .label("Username from").help("Entra property used as the Keycloak username: userPrincipalName or mail.")
            .doc("or `mail`. Lower-cased.").build();

    public static final Setting<List<Mapping>> EXTRA_MAPPINGS_SETTING = Setting.of(EXTRA_MAPPINGS,
                    ProviderConfigProperty.MULTIVALUED_STRING_TYPE,
                    v -> Arrays.stream(v.split("##|\\n|,")).map(String::trim).filter(s -> !s.isEmpty()).map(Mapping::parse).toList(),
                    List.<Mapping>of())
            .label("Extra mappings")
            .help("Further 'entraProperty=keycloakAttribute' pairs, e.g. companyName=company or businessPhones[1]=phone2. "
                    + "Always mapped: names, email, jobTitle, department, businessPhones, mobilePhone, officeLocation, "
                    + "employeeId, extension attributes 1-15.")
            .validator(ms -> ms.stream().map(Mapping::problem).flatMap(Optional::stream).findFirst())
            .doc("`entraProperty=keycloakAttribute` per line, e.g. `companyName=company`, `businessPhones[1]=phone2`.").build();

    public static final Setting<Boolean> SYNC_PHOTOS_SETTING = Setting.flag(SYNC_PHOTOS, true).label("Sync photos")
            .help("Fetch the users' Entra profile photos (only those whose photo changed since the last sync) and serve them "
                    + "at /realms/{realm}/entra-photos/{userId}, the 'Entra profile photo' token mapper's picture claim.")
            .doc("Profile photos are fetched (only when changed) and served; see *Photos* below.").build();

    public static final Setting<GroupMirrorMode> GROUP_MIRROR_SETTING = Setting.choice(GROUP_MIRROR, GroupMirrorMode::id,
                    v -> "Entra groups '" + v + "' is unknown: use all, in-scope or none.", GroupMirrorMode.NONE, GroupMirrorMode.values())
            .label("Entra groups")
            .help("Mirror Entra groups as Keycloak groups under the group 'Entra groups: <organization alias>': 'all' groups of "
                    + "the tenant, 'in-scope' (the groups of scope 'groups' and the groups nested in them) or 'none'. A mirrored "
                    + "group holds the synced users that are its direct members in Entra; renamed and deleted groups follow. "
                    + "Needs GroupMember.Read.All.")
            .doc("`none`; `all` groups of the tenant; `in-scope`: the `groupIds` of scope `groups` and the groups nested in them. "
                    + "Mirrored as subgroups of `Entra groups: <organization alias>` (attribute `entraGroupId`), with the synced "
                    + "users that are direct members in Entra; renamed and deleted groups follow.").build();

    // ---- extensions ----

    public static final Setting<ExtensionMode> EXTENSION_MODE_SETTING = Setting.choice(EXTENSION_MODE, ExtensionMode::id,
                    v -> "Extension mode '" + v + "' is unknown: use range, attribute or none.", ExtensionMode.RANGE,
                    ExtensionMode.values())
            .label("Extension numbers")
            .help("'range': first free number of the range. 'attribute': digits of an Entra property (pattern below), "
                    + "the range when that number is taken or missing. 'none': no extensions.")
            .doc("`range`: first free number; `attribute`: digits of `extensionSource` matched by `extensionPattern`, the range "
                    + "on conflict or absence; `none`.").build();

    public static final Setting<Range> EXTENSION_RANGE_SETTING = Setting.of(EXTENSION_RANGE, ProviderConfigProperty.STRING_TYPE,
                    Range::parse, (Range) null)
            .label("Extension range").help("First and last number, e.g. 1000-8999. Unique within the organization.")
            .defaultValue(DEFAULT_RANGE).doc("First and last number.").build();

    public static final Setting<Optional<String>> EXTENSION_SOURCE_SETTING = Setting.text(EXTENSION_SOURCE)
            .type(ProviderConfigProperty.LIST_TYPE).options(EntraUserMapper.EXTENSION_SOURCES)
            .label("Extension from property")
            .help("Mode 'attribute': " + String.join(", ", EntraUserMapper.EXTENSION_SOURCES) + ".")
            .required("Extension mode 'attribute' needs the Entra property to take digits from, e.g. businessPhones[0] or extensionAttribute1.")
            .when(v -> extensionModeOf(v) == ExtensionMode.ATTRIBUTE)
            .validator(s -> s.filter(v -> !EntraUserMapper.isKnownSource(v)).map(v -> "Extension source '" + v
                    + "' is not a supported Graph property: use one of " + String.join(", ", EntraUserMapper.EXTENSION_SOURCES) + "."))
            .doc("`businessPhones[0]`, `businessPhones[1]`, `mobilePhone`, `employeeId`, `extensionAttribute1`..`15`.").build();

    public static final Setting<Pattern> EXTENSION_PATTERN_SETTING = Setting.of(EXTENSION_PATTERN, ProviderConfigProperty.STRING_TYPE,
                    EntraSyncConfig::compile, (Pattern) null)
            .label("Extension pattern")
            .help("Regular expression applied to the property's digits (everything else removed); its first group, or the "
                    + "whole match, is the extension. Default (\\d{4})$: the last four digits.")
            .defaultValue(DEFAULT_EXTENSION_PATTERN)
            .when(v -> extensionModeOf(v) == ExtensionMode.ATTRIBUTE)
            .validator(p -> backtrackingRisk(p.pattern()))
            .doc("Regex on the property's digits; its first group (or the match) is the extension. Refused at save when a "
                    + "repeated group holds a quantifier or an alternation (e.g. `(\\d+)+`, catastrophic backtracking); at sync "
                    + "time it runs on at most 64 digits and stops after 100,000 steps, else there is no candidate and the range "
                    + "decides.").build();

    public static final Setting<Integer> QUARANTINE_DAYS_SETTING = Setting.number(QUARANTINE_DAYS, 90)
            .label("Extension quarantine (days)")
            .help("A number freed by a deleted user is not given to anyone else for this many days (0: at once).")
            .check(d -> d >= 0, "Extension quarantine cannot be negative (0 = reuse freed numbers at once).")
            .doc("A freed number is not given to anyone else for this many days.").build();

    // ---- deletions ----

    public static final Setting<Optional<Duration>> DELETE_GRACE_DAYS_SETTING = Setting.of(DELETE_GRACE_DAYS,
                    ProviderConfigProperty.STRING_TYPE, EntraSyncConfig::graceDays, Optional.<Duration>empty())
            .defaultValue("30").docDefault("30").label("Delete after (days)")
            .help("Users deleted or disabled in Entra (or out of scope) are disabled at once and deleted after this many "
                    + "days; 0 deletes at once, 'never' keeps them disabled.")
            .validator(g -> g.filter(Duration::isNegative).map(n -> "Delete after (days) must be 0 or more, or 'never'."))
            .doc("Users deleted/disabled in Entra or out of scope are disabled at once, deleted after this many days; `0` at "
                    + "once, `never` keeps them disabled.").build();

    private static final String GUARD_LIMITS = "Guard limits: maximum users 0 or more, maximum percent 0 to 100 (0 switches a limit off).";

    public static final Setting<Integer> GUARD_MAX_USERS_SETTING = Setting.number(GUARD_MAX_USERS, 50).label("Guard: maximum users")
            .help("Accidental-delete guard: a run that would disable or delete more users than this does none of it and "
                    + "raises an admin event (0: no absolute limit).")
            .check(n -> n >= 0, GUARD_LIMITS)
            .doc("A run that would disable or delete more users than that does none of it, records why and raises an admin "
                    + "event (`ENTRA_SYNC_GUARD`). 0 switches the limit off.").build();

    public static final Setting<Integer> GUARD_MAX_PERCENT_SETTING = Setting.number(GUARD_MAX_PERCENT, 10).label("Guard: maximum percent")
            .help("Accidental-delete guard: the same, as a percentage of this sync's users, counted from 5 removals up "
                    + "(0: no percentage limit).")
            .check(n -> n >= 0 && n <= 100, GUARD_LIMITS)
            .doc("The same as a percentage of the sync's users, counted from 5 users up. 0 switches the limit off.").build();

    // ---- run log ----

    public static final Setting<Integer> RUNS_KEPT_SETTING = Setting.number(RUNS_KEPT, 50).label("Runs kept")
            .help("How many runs the run log keeps (admin REST .../entra-sync/{id}/runs).")
            .check(n -> n >= 1 && n <= 10_000, "Runs kept must be between 1 and 10000.")
            .doc("Size of the run log.").build();

    // ---- contacts and caller ID ----

    private static boolean anyContacts(Setting.Values v) {
        return CONTACTS_PERSONAL_SETTING.get(v) || CONTACTS_ORGANIZATIONAL_SETTING.get(v) || !CONTACTS_SHARED_MAILBOXES_SETTING.get(v).isEmpty();
    }

    public static final Setting<Boolean> CONTACTS_PERSONAL_SETTING = Setting.flag(CONTACTS_PERSONAL, false).label("Personal contacts")
            .help("Read each synced user's Outlook contacts into their own phone book (Graph contacts delta per folder, after the "
                    + "user sync, spread over the sync interval). Needs the application permission Contacts.Read.")
            .doc("Each synced user's Outlook contacts, visible to that user and the directory role only. Needs `Contacts.Read`.").build();

    public static final Setting<List<String>> CONTACTS_SHARED_MAILBOXES_SETTING = Setting.list(CONTACTS_SHARED_MAILBOXES, "[,;\\s]+")
            .label("Company phone book: shared mailboxes")
            .help("Addresses or object IDs of the mailboxes whose contacts are the customer's company phone book, e.g. "
                    + "contacts@contoso.com. Each is checked against Graph when you save. Needs Contacts.Read.")
            .validator(list -> Optional.of(list.stream().filter(m -> !TenantSelector.isTenantId(m) && !MAILBOX.matcher(m).matches())
                    .map(m -> "Shared mailbox '" + m + "' is neither an email address nor an object id (a GUID).")
                    .collect(Collectors.joining(" "))).filter(t -> !t.isEmpty()))
            .check(list -> list.size() <= 50, "At most 50 shared mailboxes per phone system.")
            .doc("Mailboxes (address or object id) whose contacts form the company phone book; checked against Graph at save.").build();

    public static final Setting<Boolean> CONTACTS_ORGANIZATIONAL_SETTING = Setting.flag(CONTACTS_ORGANIZATIONAL, false)
            .label("Organizational contacts")
            .help("Read the tenant's organizational contacts (Exchange mail contacts, Graph /contacts). Needs OrgContact.Read.All.")
            .doc("The tenant's organizational contacts (`orgContact`). Needs `OrgContact.Read.All`.").build();

    public static final Setting<ContactFolders> CONTACTS_FOLDERS_SETTING = Setting.choice(CONTACTS_FOLDERS, ContactFolders::id,
                    v -> "Contact folders '" + v + "' is unknown: use default or all.", ContactFolders.DEFAULT, ContactFolders.values())
            .label("Contact folders")
            .help("'default': each mailbox's Contacts folder only; 'all': every contact folder, nested ones included.")
            .doc("`default`: the mailbox's Contacts folder; `all`: every contact folder.").build();

    public static final Setting<Integer> CONTACTS_PERSONAL_REFRESH_SETTING = Setting.number(CONTACTS_PERSONAL_REFRESH, 60)
            .label("Personal contacts: refresh (minutes)")
            .help("How often each user's personal contacts are read. Periodic changed syncs spread the mailboxes over this time "
                    + "(each run reads the share of mailboxes read longest ago, new ones first), so a thousand mailboxes are not "
                    + "all asked at once; 'Sync all users' reads them all.")
            .check(n -> n >= 5 && n <= 1440, "Personal contacts refresh must be between 5 and 1440 minutes.")
            .doc("Each user's personal contacts are read once per this time, the mailboxes spread over the periodic changed "
                    + "syncs in it (oldest first, new ones first of all); a full sync reads all.").build();

    public static final Setting<Optional<String>> PHONE_REGION_SETTING = Setting.text(PHONE_REGION).label("Phone region")
            .help("The phone system's country (two letters, ISO 3166, e.g. GB, DE, US): numbers written in national format, "
                    + "in contacts and in caller-ID lookups, are read as numbers of this country.")
            .required("Contacts need the phone system's region (two letters, e.g. GB) to read national numbers such as (020) 7946 0958.")
            .when(EntraSyncConfig::anyContacts)
            .validator(r -> dev.entrapbx.sync.contacts.PhoneNumbers.region(r.orElse("")).isPresent() || r.isEmpty() ? Optional.empty()
                    : Optional.of("Phone region '" + r.get() + "' is not a country code libphonenumber knows: use two letters such as GB, DE or US."))
            .doc("Country (ISO 3166 two letters) for national-format numbers; required when a contact source is on.").build();

    // ---- Teams presence and change notifications (module entra-presence) ----

    public static final Setting<Boolean> PRESENCE_SETTING = Setting.flag(PRESENCE, false).label("Teams presence")
            .help("Read the Teams presence (availability, activity, out of office) of the synced users for the PBX: the directory's "
                    + "GET .../presence, the change feed and webhooks (presence.changed). Graph getPresencesByUserId, 650 users a call, "
                    + "once per cluster. Needs the application permission Presence.Read.All.")
            .doc("Teams presence of the synced users, polled (`getPresencesByUserId`), published as `presence.changed`. Needs "
                    + "`Presence.Read.All`.").build();

    public static final Setting<Integer> PRESENCE_INTERVAL_SETTING = Setting.number(PRESENCE_INTERVAL, 30)
            .label("Teams presence: interval (seconds)")
            .help("How often presence (and, when on, the calendar) is read. 10 to 600 seconds; 650 users cost one Graph call.")
            .check(n -> n >= 10 && n <= 600, "Presence interval must be between 10 and 600 seconds.")
            .doc("Polling interval; each interval costs one Graph call per 650 users.").build();

    public static final Setting<Boolean> PRESENCE_CALENDAR_SETTING = Setting.flag(PRESENCE_CALENDAR, false)
            .label("Calendar busy for users without Teams")
            .help("For users whose Teams presence is unknown (no Teams licence), read busy / out of office from their Outlook "
                    + "calendar (Graph getSchedule) at the same interval. Teams presence already reflects meetings for Teams users. "
                    + "Needs Calendars.ReadBasic (or Calendars.Read).")
            .doc("Busy / out of office from the Outlook calendar (`getSchedule`) for users without Teams presence. Needs "
                    + "`Calendars.ReadBasic`.").build();

    public static final Setting<Boolean> PRESENCE_FROM_PBX_SETTING = Setting.flag(PRESENCE_FROM_PBX, false)
            .label("PBX calls shown in Teams")
            .help("Let the PBX set a user's Teams presence while they are on a PBX call (POST .../pbx/phone-systems/{org}/presence/"
                    + "{userId}): in a call shows Busy / In a call, do not disturb shows Do not disturb / Presenting, idle clears it. "
                    + "Needs Presence.ReadWrite.All.")
            .doc("The PBX's call state shown in Teams (`setPresence` / `clearPresence`). Needs `Presence.ReadWrite.All`.").build();

    public static final Setting<Integer> PRESENCE_FROM_PBX_MINUTES_SETTING = Setting.number(PRESENCE_FROM_PBX_MINUTES, 60)
            .label("PBX calls shown in Teams: hold (minutes)")
            .help("How long a call state set in Teams lasts unless the PBX updates it (Graph expirationDuration, 5 to 240). Active "
                    + "states are set again before they run out, so a long call stays shown; a PBX that goes silent leaves a state "
                    + "for at most this long.")
            .check(n -> n >= 5 && n <= 240, "The hold of PBX call states must be between 5 and 240 minutes.")
            .doc("Expiration of a call state in Teams; refreshed while the state lasts.").build();

    public static final Setting<Boolean> USER_CHANGE_NOTIFICATIONS_SETTING = Setting.flag(USER_CHANGE_NOTIFICATIONS, false)
            .label("Entra user changes within seconds")
            .help("Subscribe to Graph change notifications on the tenant's users: a change in Entra starts this sync's changed sync "
                    + "within seconds (debounced, once per cluster). The periodic sync stays as the safety net. Needs a Notification URL "
                    + "Graph can reach.")
            .doc("Graph change notifications on `users` start a changed sync within seconds; needs `notificationUrl`.").build();

    public static final Setting<Optional<String>> NOTIFICATION_URL_SETTING = Setting.text(NOTIFICATION_URL)
            .label("Notification URL")
            .help("Keycloak's public base URL as Microsoft Graph reaches it, e.g. https://sso.partner.example (no path: "
                    + "/realms/{realm}/entra-notifications is added). Graph requires HTTPS with a publicly trusted certificate.")
            .required("Entra user changes within seconds need the Notification URL: Keycloak's public HTTPS base URL.")
            .when(v -> USER_CHANGE_NOTIFICATIONS_SETTING.get(v))
            .validator(u -> u.isEmpty() ? Optional.empty() : notificationUrlProblem(u.get()))
            .doc("Keycloak's public HTTPS base URL for Graph notifications; required with `userChangeNotifications`.").build();

    /** An https URL without query or fragment (http only on loopback, for tests against the simulator). */
    static Optional<String> notificationUrlProblem(String url) {
        try {
            java.net.URI u = new java.net.URI(url.trim());
            String host = u.getHost();
            boolean loopback = "localhost".equals(host) || "127.0.0.1".equals(host) || "[::1]".equals(host) || "::1".equals(host);
            if (host == null || !("https".equals(u.getScheme()) || ("http".equals(u.getScheme()) && loopback))) {
                return Optional.of("Notification URL '" + url + "' must be an https:// URL (Graph delivers to HTTPS only).");
            }
            if (u.getQuery() != null || u.getFragment() != null) {
                return Optional.of("Notification URL '" + url + "' must have no query or fragment.");
            }
            return Optional.empty();
        } catch (java.net.URISyntaxException e) {
            return Optional.of("Notification URL '" + url + "' is not a URL: " + e.getReason() + ".");
        }
    }

    /** Every setting, in the console's order. */
    public static final List<Setting<?>> SETTINGS = List.of(ORGANIZATION_SETTING, IDP_ALIAS_SETTING, REUSE_IDP_CREDENTIALS_SETTING,
            TENANT_SETTING, CLOUD_SETTING, CLIENT_ID_SETTING, CLIENT_SECRET_SETTING, SECRET_EXPIRES_ON_SETTING,
            AUTHORITY_HOST_OVERRIDE_SETTING, SCOPE_SETTING, GROUP_IDS_SETTING, FILTER_SETTING, INCLUDE_GUESTS_SETTING,
            INCLUDE_DISABLED_SETTING, USERNAME_SOURCE_SETTING, EXTRA_MAPPINGS_SETTING, SYNC_PHOTOS_SETTING, GROUP_MIRROR_SETTING,
            EXTENSION_MODE_SETTING,
            EXTENSION_RANGE_SETTING, EXTENSION_SOURCE_SETTING, EXTENSION_PATTERN_SETTING, QUARANTINE_DAYS_SETTING,
            DELETE_GRACE_DAYS_SETTING, GUARD_MAX_USERS_SETTING, GUARD_MAX_PERCENT_SETTING, RUNS_KEPT_SETTING,
            PHONE_REGION_SETTING, CONTACTS_PERSONAL_SETTING, CONTACTS_PERSONAL_REFRESH_SETTING, CONTACTS_SHARED_MAILBOXES_SETTING,
            CONTACTS_ORGANIZATIONAL_SETTING, CONTACTS_FOLDERS_SETTING, PRESENCE_SETTING, PRESENCE_INTERVAL_SETTING,
            PRESENCE_CALENDAR_SETTING, PRESENCE_FROM_PBX_SETTING, PRESENCE_FROM_PBX_MINUTES_SETTING, USER_CHANGE_NOTIFICATIONS_SETTING,
            NOTIFICATION_URL_SETTING);

    /** The factory's property list. */
    public static final List<ProviderConfigProperty> PROPERTIES = Settings.properties(SETTINGS);

    private static boolean ownCredentials(Setting.Values v) {
        return !REUSE_IDP_CREDENTIALS_SETTING.get(v);
    }

    /** The scope a condition sees: an unknown one counts as 'all' (and is reported by the scope setting). */
    private static Scope scopeOf(Setting.Values v) {
        return SCOPE_SETTING.getOrDefault(v);
    }

    private static ExtensionMode extensionModeOf(Setting.Values v) {
        return EXTENSION_MODE_SETTING.getOrDefault(v);
    }

    private static Pattern compile(String v) {
        try {
            return Pattern.compile(v);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("Extension pattern is not a valid regular expression: " + e.getDescription() + ".", e);
        }
    }

    /** Whole days, or 'never' (empty). */
    private static Optional<Duration> graceDays(String v) {
        if (v.equalsIgnoreCase(NEVER)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Duration.ofDays(Integer.parseInt(v)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Delete after (days) must be a whole number; got '" + v + "'.");
        }
    }

    private final Setting.Values values;

    public EntraSyncConfig(ComponentModel model) {
        this(model.getConfig());
    }

    public EntraSyncConfig(MultivaluedHashMap<String, String> config) {
        this.values = Setting.Values.of(config);
    }

    public Optional<String> organization() {
        return ORGANIZATION_SETTING.get(values);
    }

    public Optional<String> identityProviderAlias() {
        return IDP_ALIAS_SETTING.get(values);
    }

    /** Default on: cloud, tenant, client id and credential come from the linked Entra IdP. */
    public boolean reuseIdpCredentials() {
        return REUSE_IDP_CREDENTIALS_SETTING.get(values);
    }

    /** The cloud id as stored (own credentials; {@link dev.entrapbx.core.EntraApp} parses it). */
    public Optional<String> cloudRaw() {
        return CLOUD_SETTING.raw(values);
    }

    public Optional<String> tenant() {
        return TENANT_SETTING.get(values);
    }

    public Optional<String> clientId() {
        return CLIENT_ID_SETTING.get(values);
    }

    /** The secret or a vault reference; never logged. */
    public Optional<String> clientSecret() {
        return CLIENT_SECRET_SETTING.get(values);
    }

    public Optional<String> authorityHostOverride() {
        return AUTHORITY_HOST_OVERRIDE_SETTING.get(values);
    }

    /** An unknown stored scope counts as 'all' (save refuses it). */
    public Scope scope() {
        return SCOPE_SETTING.getOrDefault(values);
    }

    public List<String> groupIds() {
        return GROUP_IDS_SETTING.get(values);
    }

    public Optional<String> filter() {
        return FILTER_SETTING.get(values);
    }

    public boolean includeGuests() {
        return INCLUDE_GUESTS_SETTING.get(values);
    }

    public boolean includeDisabledAccounts() {
        return INCLUDE_DISABLED_SETTING.get(values);
    }

    /** An unknown stored source counts as userPrincipalName (save refuses it). */
    public UsernameSource usernameSource() {
        return USERNAME_SOURCE_SETTING.getOrDefault(values);
    }

    /** Extra pairs, "entraProperty=keycloakAttribute", one per line. @throws IllegalArgumentException for a malformed pair */
    public List<Mapping> extraMappings() {
        return EXTRA_MAPPINGS_SETTING.get(values);
    }

    /** Default on: profile photos are fetched (when their ETag changed) and served with the picture claim. */
    public boolean syncPhotos() {
        return SYNC_PHOTOS_SETTING.get(values);
    }

    /** An unknown stored value counts as 'none' (save refuses it). */
    public GroupMirrorMode groupMirror() {
        return GROUP_MIRROR_SETTING.getOrDefault(values);
    }

    /** An unknown stored mode counts as 'range' (save refuses it). */
    public ExtensionMode extensionMode() {
        return EXTENSION_MODE_SETTING.getOrDefault(values);
    }

    public Range extensionRange() {
        return EXTENSION_RANGE_SETTING.get(values);
    }

    /** Entra property whose digits give the extension, e.g. businessPhones[0] or extensionAttribute1. */
    public Optional<String> extensionSource() {
        return EXTENSION_SOURCE_SETTING.get(values);
    }

    /**
     * The pattern the extension is taken from. Save refuses one that {@link #backtrackingRisk} flags;
     * {@link EntraUserMapper} still runs every pattern on at most
     * {@value EntraUserMapper#EXTENSION_INPUT_MAX} digits and with a step budget, so a pattern
     * stored before the check (or one it misses) cannot hang a sync either.
     */
    public Pattern extensionPattern() {
        return EXTENSION_PATTERN_SETTING.get(values);
    }

    /**
     * Why {@code regex} may backtrack catastrophically (exponential or high-polynomial time on
     * unlucky input), or empty when this conservative check finds no reason: a repeated group
     * ({@code *}, {@code +}, <code>{n,}</code>, <code>{n,m}</code> with m &gt; 1) that contains a variable
     * quantifier ({@code *}, {@code +}, {@code ?}, <code>{n,m}</code> with n &lt; m) or an alternation, at any
     * depth: {@code (a+)+}, {@code (a*)*}, {@code (a|aa)+}, {@code ((\d+)-)*}. Some harmless patterns
     * are flagged too, such as {@code (?:1|2)+}; extracting extension digits needs none of these.
     * The pattern must compile (checked before).
     */
    static Optional<String> backtrackingRisk(String regex) {
        Deque<GroupScan> groups = new ArrayDeque<>();
        groups.push(new GroupScan(0));
        int n = regex.length();
        int i = 0;
        while (i < n) {
            char c = regex.charAt(i);
            if (c == '(') {
                groups.push(new GroupScan(i));
                i = skipGroupPrefix(regex, i + 1);
                continue;
            }
            if (c == ')' && groups.size() > 1) {
                GroupScan group = groups.pop();
                Quantifier q = Quantifier.at(regex, i + 1);
                int end = q == null ? i + 1 : q.end();
                if (q != null && q.repeats() && (group.variable || group.alternation)) {
                    return Optional.of("Extension pattern '" + regex + "' can take exponential time on unlucky input: the repeated group '"
                            + regex.substring(group.start, end) + "' contains " + (group.variable ? "a quantifier" : "alternatives")
                            + ". Use a simpler pattern without a repeated group, e.g. (\\d{4})$ for the last four digits or "
                            + "^(\\d{3,4}) for the first three or four.");
                }
                GroupScan parent = groups.peek();
                parent.variable |= group.variable || q != null && q.variable();
                parent.alternation |= group.alternation;
                i = end;
                continue;
            }
            if (c == '|') {
                groups.peek().alternation = true;
                i++;
                continue;
            }
            int atomEnd = c == '\\' ? skipEscape(regex, i) : c == '[' ? skipClass(regex, i) : i + 1;
            Quantifier q = Quantifier.at(regex, atomEnd);
            if (q != null) {
                groups.peek().variable |= q.variable();
                atomEnd = q.end();
            }
            i = atomEnd;
        }
        return Optional.empty();
    }

    /** What the backtracking check knows about a group while it scans it. */
    private static final class GroupScan {
        final int start;
        boolean variable;
        boolean alternation;

        GroupScan(int start) {
            this.start = start;
        }
    }

    /** A quantifier read at some position: its bounds (max -1 = unbounded) and where it ends. */
    private record Quantifier(int min, int max, int end) {

        boolean repeats() {
            return max < 0 || max > 1;
        }

        boolean variable() {
            return max < 0 || min != max;
        }

        static Quantifier at(String s, int i) {
            if (i >= s.length()) {
                return null;
            }
            Quantifier q = switch (s.charAt(i)) {
                case '*' -> new Quantifier(0, -1, i + 1);
                case '+' -> new Quantifier(1, -1, i + 1);
                case '?' -> new Quantifier(0, 1, i + 1);
                case '{' -> braces(s, i);
                default -> null;
            };
            if (q != null && q.end < s.length() && (s.charAt(q.end) == '?' || s.charAt(q.end) == '+')) {
                return new Quantifier(q.min, q.max, q.end + 1); // lazy or possessive: same bounds
            }
            return q;
        }

        private static Quantifier braces(String s, int i) {
            int close = s.indexOf('}', i);
            if (close < 0) {
                return null;
            }
            String[] bounds = s.substring(i + 1, close).split(",", -1);
            try {
                int min = Integer.parseInt(bounds[0].trim());
                int max = bounds.length == 1 ? min : bounds[1].isBlank() ? -1 : Integer.parseInt(bounds[1].trim());
                return bounds.length > 2 ? null : new Quantifier(min, max, close + 1);
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    /** After "(": skips "?:", "?=", "?!", "?>", "?<=", "?<!", "?<name>" and inline flags such as "?i:" or "?i". */
    private static int skipGroupPrefix(String s, int i) {
        if (i >= s.length() || s.charAt(i) != '?') {
            return i;
        }
        i++;
        if (i < s.length() && s.charAt(i) == '<') {
            if (i + 1 < s.length() && (s.charAt(i + 1) == '=' || s.charAt(i + 1) == '!')) {
                return i + 2;
            }
            int close = s.indexOf('>', i);
            return close < 0 ? s.length() : close + 1;
        }
        while (i < s.length() && (Character.isLetter(s.charAt(i)) || s.charAt(i) == '-')) {
            i++;
        }
        return i < s.length() && ":=!>".indexOf(s.charAt(i)) >= 0 ? i + 1 : i;
    }

    /** From a backslash: the index after the escape, quoting ({@code \Q...\E}) and braced or named forms included. */
    private static int skipEscape(String s, int i) {
        if (i + 1 >= s.length()) {
            return s.length();
        }
        char e = s.charAt(i + 1);
        if (e == 'Q') {
            int quoteEnd = s.indexOf("\\E", i + 2);
            return quoteEnd < 0 ? s.length() : quoteEnd + 2;
        }
        if ("pPxN".indexOf(e) >= 0 && i + 2 < s.length() && s.charAt(i + 2) == '{') {
            int close = s.indexOf('}', i + 2);
            return close < 0 ? s.length() : close + 1;
        }
        if (e == 'k' && i + 2 < s.length() && s.charAt(i + 2) == '<') {
            int close = s.indexOf('>', i + 2);
            return close < 0 ? s.length() : close + 1;
        }
        return i + 2;
    }

    /** From "[": the index after the matching "]" (nested classes and escapes included). */
    private static int skipClass(String s, int i) {
        int j = i + 1;
        if (j < s.length() && s.charAt(j) == '^') {
            j++;
        }
        if (j < s.length() && s.charAt(j) == ']') {
            j++; // a leading ']' is a literal
        }
        int depth = 1;
        while (j < s.length()) {
            char c = s.charAt(j);
            if (c == '\\') {
                j += 2;
                continue;
            }
            if (c == '[') {
                depth++;
            } else if (c == ']' && --depth == 0) {
                return j + 1;
            }
            j++;
        }
        return s.length();
    }

    /** A freed extension is not given to anybody else for this long. */
    public Duration quarantine() {
        return Duration.ofDays(QUARANTINE_DAYS_SETTING.get(values));
    }

    /** Empty = never delete (users stay disabled); zero = delete at once. */
    public Optional<Duration> deleteGrace() {
        return DELETE_GRACE_DAYS_SETTING.get(values);
    }

    /** 0 switches the absolute limit off. */
    public int guardMaxUsers() {
        return GUARD_MAX_USERS_SETTING.get(values);
    }

    /** 0 switches the percentage limit off. */
    public int guardMaxPercent() {
        return GUARD_MAX_PERCENT_SETTING.get(values);
    }

    public int runsKept() {
        return RUNS_KEPT_SETTING.get(values);
    }

    /** The phone system's region for national numbers, when set and known. */
    public Optional<String> phoneRegion() {
        return PHONE_REGION_SETTING.get(values).flatMap(dev.entrapbx.sync.contacts.PhoneNumbers::region);
    }

    public boolean presence() {
        return PRESENCE_SETTING.get(values);
    }

    public int presenceIntervalSeconds() {
        return PRESENCE_INTERVAL_SETTING.get(values);
    }

    public boolean presenceCalendar() {
        return PRESENCE_CALENDAR_SETTING.get(values);
    }

    public boolean presenceFromPbx() {
        return PRESENCE_FROM_PBX_SETTING.get(values);
    }

    public int presenceFromPbxMinutes() {
        return PRESENCE_FROM_PBX_MINUTES_SETTING.get(values);
    }

    public boolean userChangeNotifications() {
        return USER_CHANGE_NOTIFICATIONS_SETTING.get(values);
    }

    /** Without a trailing slash. */
    public Optional<String> notificationUrl() {
        return NOTIFICATION_URL_SETTING.get(values).map(u -> u.trim().replaceAll("/+$", ""));
    }

    /** Anything of the entra-presence module on: presence read, calendar, PBX writes or user-change notifications. */
    public boolean presenceJobs() {
        return presence() || presenceFromPbx() || userChangeNotifications();
    }

    public boolean contactsPersonal() {
        return CONTACTS_PERSONAL_SETTING.get(values);
    }

    public int contactsPersonalRefreshMinutes() {
        return CONTACTS_PERSONAL_REFRESH_SETTING.get(values);
    }

    public List<String> contactsSharedMailboxes() {
        return CONTACTS_SHARED_MAILBOXES_SETTING.get(values);
    }

    public boolean contactsOrganizational() {
        return CONTACTS_ORGANIZATIONAL_SETTING.get(values);
    }

    /** An unknown stored value counts as 'default' (save refuses it). */
    public ContactFolders contactsFolders() {
        return CONTACTS_FOLDERS_SETTING.getOrDefault(values);
    }

    /** Whether any contact source is on. */
    public boolean contacts() {
        return anyContacts(values);
    }

    /**
     * What is wrong with this configuration, each in words that say what to fix; empty when it can
     * be saved: every declared setting's problem ({@link #SETTINGS}). Checks that need the realm or
     * the server (organization, IdP, authority override) are the factory's.
     */
    public List<String> problems() {
        List<String> problems = new java.util.ArrayList<>(Settings.problems(SETTINGS, values));
        if (GROUP_MIRROR_SETTING.getOrDefault(values) == GroupMirrorMode.IN_SCOPE && scopeOf(values) != Scope.GROUPS) {
            problems.add("Entra groups 'in-scope' mirrors the groups of scope 'groups': set Scope to groups, or choose all or none.");
        }
        if (presenceCalendar() && !presence()) {
            problems.add("Calendar busy is read for the users whose Teams presence is unknown: switch on Teams presence too.");
        }
        return problems;
    }

    /** The settings that matter for a run, without the secret. */
    @Override
    public String toString() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(ORGANIZATION, organization().orElse(null));
        m.put(IDP_ALIAS, identityProviderAlias().orElse(null));
        m.put("scope", scope().id());
        m.put("usernameSource", usernameSource().id());
        m.put("extensionMode", extensionMode().id());
        m.put("groupMirror", groupMirror().id());
        m.put("clientId", clientId().orElse(null));
        m.put("clientSecret", clientSecret().isPresent() ? "**********" : null);
        return "EntraSyncConfig" + m;
    }
}
