<#--
  entra-pbx: every HTML email in the partner's brand: logo (web URLs only; mail clients block
  data: images) or name in the header, a band in the primary colour, help and legal links in the
  footer. Values are the validated `brand` (entra-branding); everything is auto-escaped.
-->
<#macro emailLayout>
<#assign brandName = (brand.displayName)!realmName>
<html lang="${locale.language}" dir="${(ltr)?then('ltr','rtl')}">
<body style="margin:0;padding:0;background:#f4f5f7;font-family:'Segoe UI',Roboto,Helvetica,Arial,sans-serif;color:#151515;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f4f5f7;">
  <tr><td align="center" style="padding:24px 12px;">
    <table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:600px;background:#ffffff;border-top:4px solid ${(brand.primaryColor)!'#0b5cad'};">
      <tr><td id="entrapbx-email-header" style="padding:20px 24px 8px 24px;font-size:20px;font-weight:600;">
        <#if brand?? && brand.logoUrl?? && !brand.logoUrl?starts_with("data:")>
          <img src="${brand.logoUrl}" alt="${brandName}" style="max-height:48px;max-width:240px;display:block;" />
        <#else>
          ${brandName}
        </#if>
      </td></tr>
      <tr><td style="padding:8px 24px 24px 24px;font-size:15px;line-height:1.5;">
        <#nested>
      </td></tr>
      <#if brand?? && brand.footerLinks>
      <tr><td id="entrapbx-email-footer" style="padding:12px 24px 20px 24px;border-top:1px solid #e0e0e0;font-size:13px;color:#4d4d4d;">
        ${brandName}
        <#if brand.supportUrl??> &middot; <a href="${brand.supportUrl}" style="color:${brand.linkColor};">${msg("entrapbxSupport")}</a></#if>
        <#if brand.supportPhone??> &middot; <a href="${brand.supportPhoneUri}" style="color:${brand.linkColor};">${brand.supportPhone}</a></#if>
        <#if brand.privacyUrl??> &middot; <a href="${brand.privacyUrl}" style="color:${brand.linkColor};">${msg("entrapbxPrivacy")}</a></#if>
        <#if brand.termsUrl??> &middot; <a href="${brand.termsUrl}" style="color:${brand.linkColor};">${msg("entrapbxTerms")}</a></#if>
      </td></tr>
      </#if>
    </table>
  </td></tr>
</table>
</body>
</html>
</#macro>
