<#macro content>
<#-- entra-pbx: the partner's help and legal links under the form; only validated values (brand.*). -->
<#if brand?? && brand.footerLinks>
  <nav id="entrapbx-footer" class="entrapbx-footer" aria-label="${msg("entrapbxFooterLabel")}">
    <ul>
      <#if brand.supportUrl??>
        <li><a id="entrapbx-support" href="${brand.supportUrl}" rel="noopener noreferrer" target="_blank">${msg("entrapbxSupport")}</a></li>
      </#if>
      <#if brand.supportPhone??>
        <li><a id="entrapbx-support-phone" href="${brand.supportPhoneUri}">${msg("entrapbxSupportPhone", brand.supportPhone)}</a></li>
      </#if>
      <#if brand.privacyUrl??>
        <li><a id="entrapbx-privacy" href="${brand.privacyUrl}" rel="noopener noreferrer" target="_blank">${msg("entrapbxPrivacy")}</a></li>
      </#if>
      <#if brand.termsUrl??>
        <li><a id="entrapbx-terms" href="${brand.termsUrl}" rel="noopener noreferrer" target="_blank">${msg("entrapbxTerms")}</a></li>
      </#if>
    </ul>
  </nav>
</#if>
</#macro>
