package dev.entrapbx.simulator.identity;

import dev.entrapbx.simulator.model.AppRegistration;

/**
 * A validated authorize request, kept while the user signs in.
 *
 * @param accountTenantId / accountUserId the account chosen so far (set before the consent page)
 */
record AuthorizeRequest(TenantScope scope, AppRegistration app, String redirectUri, String responseMode,
                        RequestedScopes scopes, String state, String nonce, String codeChallenge,
                        String codeChallengeMethod, String prompt, String loginHint, String domainHint,
                        boolean consented, String accountTenantId, String accountUserId) {

    AuthorizeRequest withConsent() {
        return new AuthorizeRequest(scope, app, redirectUri, responseMode, scopes, state, nonce, codeChallenge,
                codeChallengeMethod, prompt, loginHint, domainHint, true, accountTenantId, accountUserId);
    }

    AuthorizeRequest withAccount(String tenantId, String userId) {
        return new AuthorizeRequest(scope, app, redirectUri, responseMode, scopes, state, nonce, codeChallenge,
                codeChallengeMethod, prompt, loginHint, domainHint, consented, tenantId, userId);
    }

    boolean prompt(String value) {
        return prompt != null && prompt.equals(value);
    }
}
