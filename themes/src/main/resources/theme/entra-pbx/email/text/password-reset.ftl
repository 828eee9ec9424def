<#ftl output_format="plainText">
${msg("passwordResetBody", link, linkExpiration, (brand.displayName)!realmName, linkExpirationFormatter(linkExpiration))}
<#if brand?? && brand.supportUrl??>

${msg("entrapbxSupport")}: ${brand.supportUrl}</#if><#if brand?? && brand.supportPhone??>
${msg("entrapbxSupport")}: ${brand.supportPhone}</#if>
