<#import "template.ftl" as layout>
<@layout.emailLayout>
${kcSanitize(msg("emailVerificationBodyHtml", link, linkExpiration, ((brand.displayName)!realmName)?esc?markup_string, linkExpirationFormatter(linkExpiration)))?no_esc}
</@layout.emailLayout>
