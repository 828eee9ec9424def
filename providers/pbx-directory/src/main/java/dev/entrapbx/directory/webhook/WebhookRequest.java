package dev.entrapbx.directory.webhook;

/**
 * What an admin sends to create or change a webhook. On update, a field left out (null) stays as
 * it is; the phone system of a webhook cannot change.
 *
 * @param url                  https URL of the receiver
 * @param organization         the phone system (Organization alias or id); left out: every phone system of the realm
 * @param description          free text (up to 1000 characters)
 * @param enabled              deliveries on (default) or off; switching on again resets the failure count
 * @param disableAfterFailures run of consecutive failed deliveries after which the webhook is disabled (1 to 1000;
 *                             default the server's, 15)
 */
public record WebhookRequest(String url, String organization, String description, Boolean enabled, Integer disableAfterFailures) {
}
