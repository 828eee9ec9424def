package dev.entrapbx.sync;

/** A Keycloak user this component synced: its id, enabled, and when the sync disabled it (null = it did not). */
record SyncedUser(String userId, boolean enabled, String disabledAt) {
}
