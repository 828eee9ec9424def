<#import "template.ftl" as layout>
<@layout.emailLayout>
${kcSanitize(msg("entraPbxSsoResetBodyHtml", ((brand.displayName)!realmName)?esc?markup_string))?no_esc}
</@layout.emailLayout>
