<#import "template.ftl" as layout>
<#import "field.ftl" as field>
<#import "buttons.ftl" as buttons>
<#import "passkeys.ftl" as passkeys>
<#--
  entra-pbx: keycloak.v2's login-password.ftl plus, for an address whose domain signs in with
  Microsoft ("Password (entra-pbx SSO gate)" sets entraPbxSso from the domain alone, the same for
  every address of it), a "Sign in with Microsoft" button (Microsoft's branding guidelines,
  css/entra-pbx.css) that continues to the domain's provider.
-->
<@layout.registrationLayout displayMessage=!messagesPerField.existsError('password'); section>
<!-- template: login-password.ftl (entra-pbx) -->
    <#if section = "header">
        ${msg("doLogIn")}
    <#elseif section = "form">
        <div id="kc-form">
            <div id="kc-form-wrapper">
                <form id="kc-form-login" class="${properties.kcFormClass!}" onsubmit="login.disabled = true; return true;" action="${url.loginAction}" method="post">
                    <@field.password name="password" label=msg("password") forgotPassword=realm.resetPasswordAllowed autofocus=true autocomplete="current-password" />
                    <@buttons.loginButton />
                </form>
                <#if entraPbxSso??>
                    <form id="entrapbx-sso-form" action="${url.loginAction}" method="post">
                        <input type="hidden" name="entraPbxUseSso" value="1"/>
                        <button id="entrapbx-use-microsoft" type="submit" class="entrapbx-ms-button">
                            <svg class="entrapbx-ms-logo" xmlns="http://www.w3.org/2000/svg" width="21" height="21" viewBox="0 0 21 21" aria-hidden="true" focusable="false">
                                <rect x="1" y="1" width="9" height="9" fill="#f25022"/>
                                <rect x="11" y="1" width="9" height="9" fill="#7fba00"/>
                                <rect x="1" y="11" width="9" height="9" fill="#00a4ef"/>
                                <rect x="11" y="11" width="9" height="9" fill="#ffb900"/>
                            </svg>
                            <span class="entrapbx-ms-text">${msg("entraPbxUseMicrosoft")}</span>
                        </button>
                    </form>
                </#if>
            </div>
        </div>
        <@passkeys.conditionalUIData />
    </#if>

</@layout.registrationLayout>
