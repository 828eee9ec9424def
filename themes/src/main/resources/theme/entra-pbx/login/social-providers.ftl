<#import "social-providers-keycloak-v2.ftl" as upstream>
<#--
  entra-pbx: Microsoft identity providers (providerId entra-id, or Keycloak's microsoft) get the
  "Sign in with Microsoft" button of Microsoft's branding guidelines: the four-square logo, the
  text "Sign in with Microsoft", light (#FFFFFF, 1px #8C8C8C border, #5E5E5E text) or dark
  (#2F2F2F, white text), Segoe UI 15px, 41px high (css/entra-pbx.css). Other providers render as
  in keycloak.v2. With several Microsoft providers on one page each button also names its provider.
-->
<#macro show social>
  <#assign microsoft = social.providers?filter(p -> p.providerId == "entra-id" || p.providerId == "microsoft")>
  <#assign others = social.providers?filter(p -> p.providerId != "entra-id" && p.providerId != "microsoft")>
  <#if microsoft?has_content>
    <div class="${properties.kcLoginMainFooterBand!}">
      <span class="${properties.kcLoginMainFooterBandItem!} ${properties.kcLoginMainFooterHelperText!}">
          ${msg("identity-provider-login-label")}
      </span>
    </div>
    <ul id="entrapbx-microsoft-providers" class="entrapbx-ms-list">
      <#list microsoft as p>
        <#assign label><#if microsoft?size gt 1>${msg("entrapbxSignInWithMicrosoftNamed", p.displayName!p.alias)}<#else>${msg("entrapbxSignInWithMicrosoft")}</#if></#assign>
        <li>
          <a data-once-link data-disabled-class="${properties.kcFormSocialAccountListButtonDisabledClass!}" id="social-${p.alias}"
             class="entrapbx-ms-button" href="${p.loginUrl}">
            <svg class="entrapbx-ms-logo" xmlns="http://www.w3.org/2000/svg" width="21" height="21" viewBox="0 0 21 21" aria-hidden="true" focusable="false">
              <rect x="1" y="1" width="9" height="9" fill="#f25022"/>
              <rect x="11" y="1" width="9" height="9" fill="#7fba00"/>
              <rect x="1" y="11" width="9" height="9" fill="#00a4ef"/>
              <rect x="11" y="11" width="9" height="9" fill="#ffb900"/>
            </svg>
            <span class="entrapbx-ms-text">${label}</span>
          </a>
        </li>
      </#list>
    </ul>
  </#if>
  <#if others?has_content>
    <@upstream.show social={"providers": others} label=!microsoft?has_content />
  </#if>
</#macro>
