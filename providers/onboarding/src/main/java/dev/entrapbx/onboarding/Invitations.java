package dev.entrapbx.onboarding;

import dev.entrapbx.kc.Db;
import dev.entrapbx.kc.Organizations;
import dev.entrapbx.kc.Setting;
import dev.entrapbx.sync.EntraSyncConfig;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationDomainModel;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.organization.OrganizationProvider;

/**
 * Creating and withdrawing invitations. An invitation makes the customer's Organization at once
 * (disabled for sign-in until its admin consents) and a one-time link, whose secret is returned
 * once and stored only as a hash.
 */
final class Invitations {

    static final Pattern DOMAIN = Pattern.compile("(?i)^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$");
    /** Organization attribute naming the invitation that made it. */
    static final String ORG_ATTRIBUTE = "entrapbx.onboarding";

    private Invitations() {
    }

    /** A new invitation and its link's secret (shown to the admin once). */
    record Created(Invitation invitation, String token) {
    }

    /**
     * Everything wrong with a request, each a sentence saying what to fix; the normalised domains and
     * range when it is right.
     */
    record Checked(List<String> problems, String name, List<String> domains, Optional<String> range, Optional<Instant> expiresAt) {
    }

    static Checked check(KeycloakSession session, RealmModel realm, InvitationRequest req, Instant now) {
        List<String> problems = new ArrayList<>();
        Optional<Instant> expiresAt = Optional.empty();
        if (req.expiresAt != null && !req.expiresAt.isBlank()) {
            try {
                Instant at = Instant.parse(req.expiresAt.strip());
                if (!at.isAfter(now) || at.isAfter(now.plus(java.time.Duration.ofDays(90)))) {
                    problems.add("expiresAt must be in the future and at most 90 days ahead; got " + at + ".");
                }
                expiresAt = Optional.of(at);
            } catch (java.time.format.DateTimeParseException e) {
                problems.add("expiresAt '" + req.expiresAt + "' is not an ISO-8601 instant such as 2027-01-31T17:00:00Z.");
            }
        }
        String name = req.name == null ? "" : req.name.strip();
        if (name.isEmpty()) {
            problems.add("name is required: the customer's company name, e.g. 'Fabrikam Ltd'.");
        } else if (name.length() > 255) {
            problems.add("name is at most 255 characters.");
        }
        Set<String> domains = new LinkedHashSet<>();
        if (req.domains != null) {
            req.domains.stream().filter(d -> d != null && !d.isBlank()).map(d -> d.strip().toLowerCase(Locale.ROOT)).forEach(domains::add);
        }
        if (domains.isEmpty()) {
            problems.add("domains is required: the customer's email domains, e.g. [\"fabrikam.com\"]; its people are recognised by them "
                    + "and the consenting tenant must own them.");
        }
        if (domains.size() > 20 || String.join(",", domains).length() > 2000) {
            problems.add("At most 20 domains (2,000 characters in all) per invitation: list the customer's email domains only.");
        }
        OrganizationProvider orgs = Organizations.provider(session, realm);
        for (String d : domains) {
            if (!DOMAIN.matcher(d).matches()) {
                problems.add("Domain '" + d + "' is not a domain name such as fabrikam.com.");
            } else if (orgs.getByDomainName(d) != null) {
                problems.add("Domain '" + d + "' belongs to Organization '" + orgs.getByDomainName(d).getAlias()
                        + "' already: an email domain identifies one customer.");
            }
        }
        Optional<String> range = Optional.empty();
        if (req.extensionRange != null && !req.extensionRange.isBlank()) {
            Setting.Values v = Setting.Values.of(Map.of(EntraSyncConfig.EXTENSION_RANGE, req.extensionRange.strip()));
            Optional<String> problem = EntraSyncConfig.EXTENSION_RANGE_SETTING.problem(v);
            if (problem.isPresent()) {
                problems.add(problem.get());
            } else {
                EntraSyncConfig.Range r = EntraSyncConfig.EXTENSION_RANGE_SETTING.get(v);
                long from = r.from();
                if (req.startNumber != null) {
                    if (req.startNumber < r.from() || req.startNumber > r.to()) {
                        problems.add("startNumber " + req.startNumber + " is outside the extension range " + r + ".");
                    }
                    from = req.startNumber;
                }
                range = Optional.of(from + "-" + r.to());
            }
        } else if (req.startNumber != null) {
            problems.add("startNumber needs an extensionRange, e.g. \"2000-2999\".");
        }
        return new Checked(problems, name, List.copyOf(domains), range, expiresAt);
    }

    /** Creates the Organization (disabled until consent) and the invitation, in the session's transaction. */
    static Created create(KeycloakSession session, RealmModel realm, PartnerApp app, Checked ok, String createdBy, Clock clock) {
        OrganizationProvider orgs = Organizations.provider(session, realm);
        OrganizationModel org = orgs.create(null, ok.name(), uniqueAlias(session, realm, ok.name()));
        org.setDomains(ok.domains().stream().map(OrganizationDomainModel::new).collect(Collectors.toSet()));
        org.setEnabled(false);
        org.setDescription("Waiting for its Microsoft 365 admin to consent (entra-pbx onboarding).");
        String id = KeycloakModelUtils.generateId();
        org.setAttributes(Map.of(ORG_ATTRIBUTE, List.of(id)));
        Instant now = clock.instant();
        Invitation inv = new Invitation(id, realm.getId(), org.getId(), ok.name(), ok.domains(), ok.range(), Invitation.Status.PENDING, now,
                Optional.ofNullable(createdBy), ok.expiresAt().orElse(now.plus(app.invitationValidity())), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        String token = InvitationStore.newSecret();
        Db.run(session, "Onboarding invitation", db -> {
            InvitationStore.insert(db, inv, InvitationStore.hash(token));
            return null;
        });
        return new Created(inv, token);
    }

    /** An Organization alias from the name: lower case, dashes, unique in the realm. */
    static String uniqueAlias(KeycloakSession session, RealmModel realm, String name) {
        String base = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (base.isEmpty()) {
            base = "customer";
        }
        if (base.length() > 50) {
            base = base.substring(0, 50).replaceAll("-+$", "");
        }
        String alias = base;
        for (int i = 2; Organizations.byAlias(session, realm, alias).isPresent(); i++) {
            alias = base + "-" + i;
        }
        return alias;
    }
}
