package dev.entrapbx.simulator;

import dev.entrapbx.simulator.contacts.ContactsStore;
import dev.entrapbx.simulator.model.User;
import dev.entrapbx.simulator.support.DeltaRound;
import dev.entrapbx.simulator.support.SimulatorTestSupport;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** 1,000 mailboxes x 200 contacts + 5,000 orgContacts generated; times are printed, not asserted. */
class ContactsScaleTest extends SimulatorTestSupport {
    private static final Pattern E164 = Pattern.compile("^\\+\\d[\\d ]+$");

    @Test
    void generatesTwoHundredThousandContactsQuickly() {
        Fixture fx = fixture("ContactScale", "User.Read.All", "Contacts.Read", "OrgContact.Read.All");
        sim.directory().generateUsers(fx.tenantId(), 1_000, fx.domain(), "mbx");
        ContactsStore store = sim.contacts();
        ContactsStore.Generated personal = store.generate(fx.tenantId(), null, 200, null, 1);
        ContactsStore.Generated org = store.generateOrgContacts(fx.tenantId(), 5_000, 2);
        System.out.printf("[contacts] %,d contacts in %,d mailboxes in %d ms; %,d orgContacts in %d ms%n",
                personal.contacts(), personal.mailboxes(), personal.elapsed().toMillis(), org.contacts(),
                org.elapsed().toMillis());
        assertThat(personal.contacts()).isEqualTo(200_000);

        User someone = sim.directory().users(fx.tenantId()).get(0);
        String token = appToken(fx);
        DeltaRound round = DeltaRound.run("/v1.0/users/" + someone.id() + "/contacts/delta",
                (u, n) -> graphJson(token, u, "Prefer", "odata.maxpagesize=200"));
        assertThat(round.items()).hasSize(200);
        assertThat(round.pages()).isEqualTo(1);
        List<String> phones = round.items().stream().flatMap(i -> {
            List<String> out = new java.util.ArrayList<>();
            i.path("businessPhones").forEach(p -> out.add(p.asText()));
            return out.stream();
        }).toList();
        assertThat(phones).anyMatch(p -> E164.matcher(p).matches()).anyMatch(p -> p.startsWith("("))
                .anyMatch(p -> p.startsWith("00"));
        DeltaRound orgRound = DeltaRound.run("/v1.0/contacts/delta",
                (u, n) -> graphJson(token, u, "Prefer", "odata.maxpagesize=999"));
        assertThat(orgRound.items()).hasSize(5_000);
    }
}
