<#ftl output_format="plainText">
${msg("entraPbxSsoResetBody", (brand.displayName)!realmName)}
