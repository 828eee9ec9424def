package dev.entrapbx.sso.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.entrapbx.sso.SsoFlows;
import java.util.List;

/** {@code POST /admin/realms/{realm}/sso-policy/flows}: the flows added (empty: all were there) and the aliases to bind. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FlowsInstalledRepresentation(List<String> added, String browserFlow, String directGrantFlow, String resetCredentialsFlow,
                                           String firstBrokerLoginFlow) {

    public static FlowsInstalledRepresentation of(List<String> added) {
        return new FlowsInstalledRepresentation(added, SsoFlows.BROWSER, SsoFlows.DIRECT_GRANT, SsoFlows.RESET_CREDENTIALS,
                SsoFlows.FIRST_BROKER_LOGIN);
    }
}
