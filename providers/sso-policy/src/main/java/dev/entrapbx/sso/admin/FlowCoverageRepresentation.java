package dev.entrapbx.sso.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.entrapbx.sso.SsoCoverage;
import java.util.List;

/**
 * {@code GET /admin/realms/{realm}/sso-policy/flows}: every place the realm checks or sets a
 * password ({@code detail} of a guarded binding is absent), and how many are unguarded.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FlowCoverageRepresentation(List<SsoCoverage.Binding> bindings, long unguarded) {

    public static FlowCoverageRepresentation of(List<SsoCoverage.Binding> bindings) {
        return new FlowCoverageRepresentation(bindings, bindings.stream().filter(b -> !b.guarded()).count());
    }
}
