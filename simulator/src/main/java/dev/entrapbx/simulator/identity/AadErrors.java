package dev.entrapbx.simulator.identity;

/**
 * The AADSTS errors the simulator produces, worded as Entra words them. Codes and texts follow
 * https://learn.microsoft.com/entra/identity-platform/reference-error-codes and the messages Entra returns.
 */
final class AadErrors {
    private AadErrors() { }

    static AadError tenantNotFound(String tenant) {
        return new AadError(400, "invalid_tenant", 90002, "Tenant '" + tenant + "' not found. Check to make sure you "
                + "have the correct tenant ID and are signing into the correct cloud. Check with your subscription "
                + "administrator, this may happen if there are no active subscriptions for the tenant.");
    }

    static AadError missingParameter(String name) {
        return new AadError(400, "invalid_request", 900144,
                "The request body must contain the following parameter: '" + name + "'.");
    }

    static AadError invalidRequest(String message) {
        return new AadError(400, "invalid_request", 90023, message);
    }

    static AadError malformed() {
        return new AadError(400, "invalid_grant", 9002313, "Invalid request. Request is malformed or invalid.");
    }

    static AadError appNotFound(String appId, String tenantName) {
        return new AadError(400, "unauthorized_client", 700016, "Application with identifier '" + appId
                + "' was not found in the directory '" + tenantName + "'. This can happen if the application has "
                + "not been installed by the administrator of the tenant or consented to by any user in the tenant. "
                + "You may have sent your authentication request to the wrong tenant.");
    }

    static AadError notMultiTenant(String appId, String appName) {
        return new AadError(400, "invalid_request", 50194, "Application '" + appId + "'(" + appName + ") is not "
                + "configured as a multi-tenant application. Usage of the /common endpoint is not supported for such "
                + "applications created after '10/15/2018'. Use a tenant-specific endpoint or configure the "
                + "application to be multi-tenant.");
    }

    static AadError consumersNotAllowed(String appId, String appName) {
        return new AadError(400, "invalid_request", 9002332, "Application '" + appId + "'(" + appName + ") is "
                + "configured for use by Azure Active Directory users only. Please do not use the /consumers "
                + "endpoint to serve this request.");
    }

    static AadError redirectUriMismatch(String redirectUri, String appId) {
        return new AadError(400, "invalid_request", 50011, "The redirect URI '" + redirectUri + "' specified in the "
                + "request does not match the redirect URIs configured for the application '" + appId + "'. Make sure "
                + "the redirect URI sent in the request matches one added to your application in the Azure portal. "
                + "Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.");
    }

    static AadError noReplyAddress() {
        return new AadError(400, "invalid_request", 900971, "No reply address provided.");
    }

    static AadError invalidSecret(String appId) {
        return new AadError(401, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being "
                + "sent in the request is the client secret value, not the client secret ID, for a secret added to "
                + "app '" + appId + "'.");
    }

    static AadError expiredSecret(String appId) {
        return new AadError(401, "invalid_client", 7000222, "The provided client secret keys for app '" + appId
                + "' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, "
                + "or consider using certificate credentials for added security: https://aka.ms/certCreds.");
    }

    static AadError credentialRequired() {
        return new AadError(401, "invalid_client", 7000218,
                "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
    }

    static AadError invalidJwt(String detail) {
        return new AadError(401, "invalid_client", 50027, "JWT token is invalid or malformed. " + detail);
    }

    static AadError assertionIssuerMismatch() {
        return new AadError(401, "invalid_client", 700021,
                "Client assertion application identifier doesn't match 'client_id' parameter. Review the "
                        + "documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .");
    }

    static AadError assertionSubjectMismatch() {
        return new AadError(401, "invalid_client", 50048, "Subject mismatches Issuer claim in the client assertion.");
    }

    static AadError assertionAudience() {
        return new AadError(401, "invalid_client", 700023, "Client assertion audience claim does not match Realm "
                + "issuer. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .");
    }

    static AadError assertionTime(String now, String nbf, String exp) {
        return new AadError(401, "invalid_client", 700024, "Client assertion is not within its valid time range. "
                + "Current time: " + now + ", assertion valid from " + nbf + ", expiry time of assertion " + exp
                + ". Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .");
    }

    static AadError certificateNotRegistered(String thumbprint, String appId) {
        return new AadError(401, "invalid_client", 700027, "The certificate with identifier used to sign the client "
                + "assertion is not registered on application. [Reason - The key was not found., Thumbprint of key "
                + "used by client: '" + thumbprint + "', Please visit the Azure Portal, Graph Explorer or directly use "
                + "MS Graph to see configured keys for app Id '" + appId + "'. Review the documentation at "
                + "https://docs.microsoft.com/en-us/graph/deployments to determine the corresponding service endpoint "
                + "and https://docs.microsoft.com/en-us/graph/api/application-get?view=graph-rest-1.0&tabs=http to "
                + "build a query request URL, such as 'https://graph.microsoft.com/beta/applications/" + appId + "']");
    }

    static AadError invalidSignature(String thumbprint, String keyWindow) {
        return new AadError(401, "invalid_client", 700027, "Client assertion contains an invalid signature. [Reason - "
                + "The provided signature value did not match the expected signature value., Thumbprint of key used "
                + "by client: '" + thumbprint + "', Found key '" + keyWindow + "']");
    }

    static AadError certificateExpired(String thumbprint, String keyWindow) {
        return new AadError(401, "invalid_client", 700027, "Client assertion contains an invalid signature. [Reason - "
                + "The key used is expired., Thumbprint of key used by client: '" + thumbprint + "', Found key '"
                + keyWindow + "']");
    }

    static AadError unsupportedGrantType(String grantType) {
        return new AadError(400, "unsupported_grant_type", 70003,
                "The app requested an unsupported grant type '" + grantType + "'.");
    }

    static AadError codeRedeemed() {
        return new AadError(400, "invalid_grant", 54005, "OAuth2 Authorization code was already redeemed, please retry "
                + "with a new valid code or use an existing refresh token.");
    }

    static AadError grantExpired() {
        return new AadError(400, "invalid_grant", 70008, "The provided authorization code or refresh token has expired "
                + "due to inactivity. Send a new interactive authorization request for this user and resource.");
    }

    static AadError grantForOtherClient() {
        return new AadError(400, "invalid_grant", 70000, "Provided grant is invalid or malformed.");
    }

    static AadError codeForOtherTenant() {
        return new AadError(400, "invalid_grant", 700005, "Provided Authorization Code is intended to use against other "
                + "tenant, thus rejected.");
    }

    static AadError replyAddressMismatch(String given, String original) {
        return new AadError(400, "invalid_grant", 500112, "The reply address '" + given + "' does not match the reply "
                + "address '" + original + "' provided when requesting Authorization code.");
    }

    static AadError pkceVerifierMissing() {
        return new AadError(400, "invalid_grant", 50148, "The code_verifier does not match the code_challenge "
                + "supplied in the authorization request for PKCE.");
    }

    static AadError pkceMismatch() {
        return new AadError(400, "invalid_grant", 501481,
                "The Code_Verifier does not match the code_challenge supplied in the authorization request.");
    }

    static AadError userDisabled() {
        return new AadError(400, "invalid_grant", 50057, "The user account is disabled.");
    }

    static AadError grantRevoked() {
        return new AadError(400, "invalid_grant", 50173, "The provided grant has expired due to it being revoked, a "
                + "fresh auth token is needed. The user might have changed or reset their password.");
    }

    static AadError scopeNotDefault(String scope) {
        return new AadError(400, "invalid_scope", 1002012, "The provided value for scope " + scope + " is not valid. "
                + "Client credential flows must have a scope value with /.default suffixed to the resource identifier "
                + "(application ID URI).");
    }

    static AadError scopeMultipleResources() {
        return new AadError(400, "invalid_scope", 700022,
                "The provided value for the input parameter scope is not valid because it contains more than one resource.");
    }

    static AadError resourceNotFound(String resource, String tenantName) {
        return new AadError(400, "invalid_resource", 500011, "The resource principal named " + resource + " was not "
                + "found in the tenant named " + tenantName + ". This can happen if the application has not been "
                + "installed by the administrator of the tenant or consented to by any user in the tenant. You might "
                + "have sent your authentication request to the wrong tenant.");
    }

    static AadError grantTypeNeedsTenant() {
        return new AadError(400, "invalid_request", 9001023, "The grant type isn't supported over the /common or "
                + "/consumers endpoints. Please use the /organizations or tenant-specific endpoint.");
    }

    static AadError loginRequired() {
        return new AadError(400, "login_required", 50058,
                "A silent sign-in request was sent but no user is signed in.");
    }

    static AadError multipleAccounts() {
        return new AadError(400, "interaction_required", 16000, "Either multiple user identities are available for the "
                + "current request or selected account is not supported for the scenario.");
    }

    /** A user of a tenant whose admin has not consented to a multi-tenant app (and user consent is off there). */
    static AadError consentRequired(String appId, String appName) {
        return new AadError(400, "consent_required", 65001, "The user or administrator has not consented to use the "
                + "application with ID '" + appId + "' named '" + appName + "'. Send an interactive authorization request "
                + "for this user and resource.");
    }

    /** A personal Microsoft account at an endpoint for work or school accounts (e.g. admin consent). */
    static AadError personalAccount(String login) {
        return new AadError(400, "invalid_request", 500200, "User account '" + login + "' is a personal Microsoft "
                + "account. Personal Microsoft accounts are not supported for this application unless explicitly invited "
                + "to an organization. Try signing out and signing back in with an organizational account.");
    }

    static AadError consentDeclined() {
        return new AadError(400, "access_denied", 65004, "User declined to consent to access the app.");
    }

    static AadError idTokenNotEnabled() {
        return new AadError(400, "unsupported_response_type", 700054,
                "response_type 'id_token' is not enabled for the application.");
    }

    static AadError unknownUser(String login, String tenantName) {
        return new AadError(400, "invalid_grant", 50034, "The user account " + login + " does not exist in the "
                + tenantName + " directory. To sign into this application, the account must be added to the directory.");
    }

    static AadError badPassword() {
        return new AadError(400, "invalid_grant", 50126, "Error validating credentials due to invalid username or password.");
    }

    static AadError userOfOtherTenant(String login, String userTenantId, String tenantName, String appId, String appName) {
        return new AadError(400, "invalid_grant", 50020, "User account '" + login + "' from identity provider "
                + "'https://sts.windows.net/" + userTenantId + "/' does not exist in tenant '" + tenantName + "' and "
                + "cannot access the application '" + appId + "'(" + appName + ") in that tenant. The account needs "
                + "to be added as an external user in the tenant first. Sign out and sign in again with a different "
                + "Azure Active Directory user account.");
    }
}
