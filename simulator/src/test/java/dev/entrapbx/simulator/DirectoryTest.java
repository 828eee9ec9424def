package dev.entrapbx.simulator;

import dev.entrapbx.simulator.directory.ChangeEvent;
import dev.entrapbx.simulator.directory.Directory;
import dev.entrapbx.simulator.directory.DirectoryException;
import dev.entrapbx.simulator.model.AppRegistration;
import dev.entrapbx.simulator.model.Domain;
import dev.entrapbx.simulator.model.Group;
import dev.entrapbx.simulator.model.Tenant;
import dev.entrapbx.simulator.model.User;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DirectoryTest {
    private final Directory dir = new Directory();

    @Test
    void tenantsGetAnInitialDomainAndOneDefault() {
        Tenant t = dir.createTenant(null, "Wide World Importers", "wwi.example", "wideworld.example");
        assertThat(t.initialDomain().name()).isEqualTo("wideworldimporters.onmicrosoft.com");
        assertThat(t.defaultDomain().name()).isEqualTo("wwi.example");
        assertThat(t.domains()).allMatch(Domain::isVerified);
        Tenant second = dir.createTenant(null, "Wide World Importers");
        assertThat(second.initialDomain().name()).isEqualTo("wideworldimporters2.onmicrosoft.com");
        assertThat(second.defaultDomain().isInitial()).isTrue();
        assertThat(dir.tenant("WWI.example")).contains(t);
        assertThatThrownBy(() -> dir.createTenant(null, "Thief", "wwi.example"))
                .isInstanceOf(DirectoryException.class).hasMessageContaining("already belongs");
        assertThatThrownBy(() -> dir.addDomain(t.id(), new Domain("x.example", true, false, false)))
                .hasMessageContaining("must be verified");
        Tenant changed = dir.addDomain(t.id(), new Domain("new.example", true, false, true));
        assertThat(changed.defaultDomain().name()).isEqualTo("new.example");
        assertThat(changed.domains().stream().filter(Domain::isDefault)).hasSize(1);
    }

    @Test
    void usersMustUseADomainOfTheirTenantAndUniqueNames() {
        Tenant t = dir.createTenant(null, "Acme", "acme.example");
        dir.createUser(t.id(), User.builder().userPrincipalName("a@acme.example"));
        assertThatThrownBy(() -> dir.createUser(t.id(), User.builder().userPrincipalName("A@ACME.example")))
                .hasMessageContaining("already exists");
        assertThatThrownBy(() -> dir.createUser(t.id(), User.builder().userPrincipalName("b@other.example")))
                .hasMessageContaining("not a domain of tenant");
        assertThat(dir.findUserByUpn("a@ACME.example")).isPresent();
        assertThat(dir.user(t.id(), "a@acme.example").orElseThrow().displayName()).isEqualTo("a");
    }

    @Test
    void onlyGraphVisibleChangesEnterTheChangeLog() {
        Tenant t = dir.createTenant(null, "Log", "log.example");
        User u = dir.createUser(t.id(), User.builder().userPrincipalName("u@log.example").password("one"));
        dir.updateUser(t.id(), u.id(), b -> b.password("two"));
        dir.updateUser(t.id(), u.id(), b -> b.jobTitle(null));
        dir.patchUser(t.id(), u.id(), Map.of("jobTitle", "Chief", "onPremisesExtensionAttributes",
                Map.of("extensionAttribute4", "x")));
        List<ChangeEvent> events = dir.read(t.id(), r -> {
            List<ChangeEvent> out = new ArrayList<>();
            for (long s = r.changes().firstSeq(); s <= r.changes().head(); s++) {
                out.add(r.changes().get(s));
            }
            return out;
        });
        assertThat(events).extracting(ChangeEvent::type)
                .containsExactly(ChangeEvent.ChangeType.CREATED, ChangeEvent.ChangeType.UPDATED);
        assertThat(events.get(1).changedProperties()).containsExactlyInAnyOrder("jobTitle", "onPremisesExtensionAttributes");
        assertThat(events.get(1).previousSeq()).isEqualTo(events.get(0).seq());
        assertThat(dir.user(t.id(), u.id()).orElseThrow().password()).isEqualTo("two");
    }

    @Test
    void appsAreFoundByAppIdAcrossTenants() {
        Tenant t = dir.createTenant(null, "Apps", "apps.example");
        AppRegistration app = dir.createApp(t.id(), AppRegistration.builder().displayName("A").multiTenant()
                .secret("s", Instant.now().plusSeconds(60)));
        assertThat(dir.app(app.appId().toUpperCase())).isPresent();
        dir.grantPermissions(app.appId(), "User.Read.All", "Group.Read.All");
        dir.revokePermissions(app.appId(), "Group.Read.All");
        assertThat(dir.requireApp(app.appId()).permissions()).containsExactly("User.Read.All");
        assertThat(dir.requireApp(app.appId()).availableIn("any-other-tenant")).isTrue();
        assertThatThrownBy(() -> dir.createApp(t.id(), AppRegistration.builder().appId(app.appId()).displayName("Dup")))
                .hasMessageContaining("already exists");
    }

    @Test
    void membershipRules() {
        Tenant t = dir.createTenant(null, "Members", "members.example");
        User u = dir.createUser(t.id(), User.builder().userPrincipalName("m@members.example"));
        Group g = dir.createGroup(t.id(), Group.builder().displayName("G"));
        dir.addMember(t.id(), g.id(), "m@members.example");
        assertThatThrownBy(() -> dir.addMember(t.id(), g.id(), u.id())).hasMessageContaining("already exist");
        assertThatThrownBy(() -> dir.addMember(t.id(), g.id(), g.id())).hasMessageContaining("itself");
        assertThatThrownBy(() -> dir.addMember(t.id(), g.id(), "nobody")).isInstanceOf(DirectoryException.class);
        dir.deleteUser(t.id(), u.id());
        assertThat(dir.members(t.id(), g.id())).isEmpty();
    }

    @Test
    void concurrentWritersAndReadersStayConsistent() throws Exception {
        Tenant t = dir.createTenant(null, "Busy", "busy.example");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> futures = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int writer = w;
            futures.add(pool.submit(() -> {
                for (int i = 0; i < 500; i++) {
                    User u = dir.createUser(t.id(), User.builder().userPrincipalName("w" + writer + "-" + i + "@busy.example"));
                    dir.updateUser(t.id(), u.id(), b -> b.jobTitle("t" + writer));
                    dir.read(t.id(), r -> r.users().size());
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(dir.userCount(t.id())).isEqualTo(2000);
        long head = dir.read(t.id(), r -> r.changes().head());
        assertThat(head).isEqualTo(4000L);
    }

    @Test
    void generatedUsersAreRealisticAndUnique() {
        Tenant t = dir.createTenant(null, "Gen", "gen.example");
        dir.generateUsers(t.id(), 2_000, null, null);
        dir.generateUsers(t.id(), 2_000, "gen.example", "batch2");
        List<User> users = dir.users(t.id());
        assertThat(users).hasSize(4_000);
        assertThat(users.stream().map(User::userPrincipalName).distinct()).hasSize(4_000);
        User any = users.get(0);
        assertThat(any.givenName()).isNotBlank();
        assertThat(any.jobTitle()).isNotBlank();
        assertThat(any.businessPhones()).hasSize(1);
        assertThat(users.stream().filter(u -> u.extensionAttribute(1) != null).count()).isGreaterThan(2_000);
        assertThat(users.stream().filter(u -> !u.accountEnabled()).count()).isPositive();
    }
}
