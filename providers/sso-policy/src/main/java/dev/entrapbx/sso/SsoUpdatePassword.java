package dev.entrapbx.sso;

import org.keycloak.authentication.InitiatedActionSupport;
import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.authentication.requiredactions.UpdatePassword;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionProviderModel;

/**
 * "Update Password (entra-pbx SSO gate)": Keycloak's Update Password, as the last step of the
 * entra-pbx reset-credentials flow ({@link SsoResetPassword} asks for it instead of Keycloak's).
 * Keycloak remembers which steps of a flow already succeeded, so a reset link opened in the
 * browser that asked for it skips every step but this one; the check therefore sits here too,
 * when the page is shown and again when the new password is posted: while SSO applies to the
 * user no password is set and nobody is signed in. Not offered for application-initiated actions
 * ({@code kc_action}): those use Keycloak's own, after a sign-in that already went through
 * Microsoft.
 */
public class SsoUpdatePassword extends UpdatePassword {

    public static final String PROVIDER_ID = "entra-pbx-update-password";

    @Override
    public void requiredActionChallenge(RequiredActionContext context) {
        if (!refused(context)) {
            super.requiredActionChallenge(context);
        }
    }

    @Override
    public void processAction(RequiredActionContext context) {
        if (!refused(context)) {
            super.processAction(context);
        }
    }

    private static boolean refused(RequiredActionContext context) {
        SsoDecision d = new SsoDecider(context.getSession(), context.getRealm()).forUser(context.getUser(), null);
        if (!d.sso()) {
            return false;
        }
        SsoGate.record(context.getEvent().clone(), context.getUser(), d, d.reason().name());
        context.challenge(SsoGate.resetRefused(context.form()));
        return true;
    }

    /** Password expiry stays with Keycloak's own Update Password. */
    @Override
    public void evaluateTriggers(RequiredActionContext context) {
    }

    @Override
    public InitiatedActionSupport initiatedActionSupport() {
        return InitiatedActionSupport.NOT_SUPPORTED;
    }

    @Override
    public RequiredActionProvider create(KeycloakSession session) {
        return this;
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayText() {
        return "Update Password (entra-pbx SSO gate)";
    }

    /** Registers this action in the realm (enabled, never a default action) when it is missing. */
    static void register(RealmModel realm) {
        if (realm.getRequiredActionProviderByAlias(PROVIDER_ID) != null) {
            return;
        }
        RequiredActionProviderModel m = new RequiredActionProviderModel();
        m.setAlias(PROVIDER_ID);
        m.setProviderId(PROVIDER_ID);
        m.setName("Update Password (entra-pbx SSO gate)");
        m.setEnabled(true);
        m.setDefaultAction(false);
        m.setPriority(realm.getRequiredActionProvidersStream().mapToInt(RequiredActionProviderModel::getPriority).max().orElse(0) + 10);
        realm.addRequiredActionProvider(m);
    }
}
