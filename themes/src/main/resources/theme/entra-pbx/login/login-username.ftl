<#import "template.ftl" as layout>
<#import "field.ftl" as field>
<#import "buttons.ftl" as buttons>
<#import "social-providers.ftl" as identityProviders>
<#import "passkeys.ftl" as passkeys>
<#--
  entra-pbx: keycloak.v2's login-username.ftl (step 1 of the email-first login, "Email first
  (entra-pbx SSO)") plus the remembered account: when the browser typed an address before, it is
  filled in and a "Not you?" button (after the sign-in button, so Enter still signs in) forgets it.
  "Sign in with a password" (entraPbxUsePassword) takes any address to the password step instead of
  Microsoft: how users their organization excluded from single sign-on reach their password. Every
  address has it, so it tells nothing about which accounts are exceptions.
-->
<@layout.registrationLayout displayMessage=!messagesPerField.existsError('username') displayInfo=(realm.password && realm.registrationAllowed && !registrationDisabled??); section>
<!-- template: login-username.ftl (entra-pbx) -->

    <#if section = "header">
        ${msg("loginAccountTitle")}
    <#elseif section = "form">
        <div id="kc-form">
            <div id="kc-form-wrapper">
                <#if realm.password>
                    <form id="kc-form-login" class="${properties.kcFormClass!}" onsubmit="login.disabled = true; return true;" action="${url.loginAction}"
                          method="post">
                        <#if !usernameHidden??>
                            <div class="${properties.kcFormGroupClass!}">
                                <#assign label>
                                    <#if !realm.loginWithEmailAllowed>${msg("username")}<#elseif !realm.registrationEmailAsUsername>${msg("usernameOrEmail")}<#else>${msg("email")}</#if>
                                </#assign>
                                <@field.input name="username" label=label value=login.username!'' autofocus=true autocomplete="${(enableWebAuthnConditionalUI?has_content)?then('username webauthn', 'username')}" />
                            </div>
                        </#if>

                        <div class="${properties.kcFormGroupClass!}">
                            <#if realm.rememberMe && !usernameHidden??>
                                <@field.checkbox name="rememberMe" label=msg("rememberMe") value=login.rememberMe?? />
                            </#if>
                        </div>

                        <@buttons.loginButton />

                        <div id="entrapbx-password-instead" class="entrapbx-password-instead">
                            <button type="submit" id="entrapbx-use-password" name="entraPbxUsePassword" value="1"
                                    class="${properties.kcButtonLinkClass!'pf-v5-c-button pf-m-link pf-m-inline'}">${msg("entraPbxUsePassword")}</button>
                        </div>

                        <#if entraPbxRemembered??>
                            <div id="entrapbx-remembered" class="entrapbx-remembered">
                                <span>${msg("entraPbxRememberedAs", entraPbxRemembered)}</span>
                                <button type="submit" id="entrapbx-not-you" name="entraPbxForget" value="1" formnovalidate
                                        class="${properties.kcButtonLinkClass!'pf-v5-c-button pf-m-link pf-m-inline'}">${msg("entraPbxNotYou")}</button>
                            </div>
                        </#if>
                    </form>
                </#if>
            </div>
        </div>
        <@passkeys.conditionalUIData />

    <#elseif section = "info" >
        <#if realm.password && realm.registrationAllowed && !registrationDisabled??>
            <div id="kc-registration">
                <span>${msg("noAccount")} <a href="${url.registrationUrl}">${msg("doRegister")}</a></span>
            </div>
        </#if>
    <#elseif section = "socialProviders" >
        <#if realm.password && social.providers?? && social.providers?has_content>
            <@identityProviders.show social=social />
        </#if>
    </#if>

</@layout.registrationLayout>
