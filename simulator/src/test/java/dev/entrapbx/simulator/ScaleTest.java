package dev.entrapbx.simulator;

import dev.entrapbx.simulator.directory.GenerationResult;
import dev.entrapbx.simulator.model.User;
import dev.entrapbx.simulator.support.DeltaRound;
import dev.entrapbx.simulator.support.SimulatorTestSupport;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** 100,000 users: generated in bulk, then fully paged through users delta. Times are printed, not asserted. */
class ScaleTest extends SimulatorTestSupport {
    private static final int USERS = 100_000;

    @Test
    void generatesAndDeltaSyncsOneHundredThousandUsers() {
        Fixture fx = fixture("Scale", "User.Read.All");
        GenerationResult generated = sim.directory().generateUsers(fx.tenantId(), USERS, fx.domain(), "load");
        System.out.printf("[scale] generated %,d users in %d ms%n", generated.created(), generated.elapsed().toMillis());
        assertThat(sim.directory().userCount(fx.tenantId())).isEqualTo(USERS);
        List<User> sample = sim.directory().users(fx.tenantId()).subList(0, 3);
        assertThat(sample.get(0).displayName()).isNotBlank();
        assertThat(sample.get(0).department()).isNotBlank();

        String token = appToken(fx);
        long start = System.nanoTime();
        Set<String> seen = new HashSet<>(USERS * 2);
        DeltaRound first = DeltaRound.run("/v1.0/users/delta?$select=id,displayName,userPrincipalName,"
                        + "onPremisesExtensionAttributes,accountEnabled",
                (url, page) -> graphJson(token, url, "Prefer", "odata.maxpagesize=999"));
        first.items().forEach(i -> seen.add(i.get("id").asText()));
        Duration initial = Duration.ofNanos(System.nanoTime() - start);
        System.out.printf("[scale] initial delta round: %,d users in %d pages, %d ms%n", first.items().size(),
                first.pages(), initial.toMillis());
        assertThat(seen.size()).isEqualTo(USERS);
        assertThat(first.pages()).isEqualTo((USERS + 998) / 999);

        for (int i = 0; i < 500; i++) {
            sim.directory().updateUser(fx.tenantId(), sample.get(i % 3).id(), b -> b.displayName("Renamed " + System.nanoTime()));
        }
        sim.directory().generateUsers(fx.tenantId(), 1_000, fx.domain(), "late");
        long start2 = System.nanoTime();
        DeltaRound second = DeltaRound.run(first.deltaLink(),
                (url, page) -> graphJson(token, url, "Prefer", "odata.maxpagesize=999"));
        System.out.printf("[scale] incremental round: %,d changed users in %d pages, %d ms%n", second.items().size(),
                second.pages(), Duration.ofNanos(System.nanoTime() - start2).toMillis());
        assertThat(second.items().size()).isEqualTo(1_000 + 3);
    }
}
