package dev.entrapbx.directory.admin;

/**
 * The realm's PBX directory settings.
 *
 * @param retentionDays how long the change feed keeps its rows (1 to 3650 days; default 30)
 * @param roleClient    the client whose role grants directory access
 * @param role          that role
 * @param organizationAttribute the client attribute that restricts a client to one phone system
 */
public record DirectorySettingsRepresentation(Integer retentionDays, String roleClient, String role, String organizationAttribute) {
}
