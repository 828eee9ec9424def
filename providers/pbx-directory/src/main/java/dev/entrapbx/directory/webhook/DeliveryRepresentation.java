package dev.entrapbx.directory.webhook;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One delivery attempt in a webhook's log.
 *
 * @param webhookId      the Standard Webhooks message id ({@code webhook-id} header), the same for every attempt of one change
 * @param cursor         the change's feed cursor
 * @param status         HTTP status of the answer; null when there was none (see {@code error})
 * @param delivered      a 2xx answer
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record DeliveryRepresentation(String at, WebhookRepresentation.PhoneSystemRef phoneSystem, long sequence, String cursor, String webhookId,
                                     int attempt, Integer status, String error, long durationMillis, boolean delivered) {
}
