package dev.entrapbx.sync.admin;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code POST .../entra-sync/{componentId}/guard/confirm}, also the admin event's representation.
 *
 * @param component      the sync's name
 * @param guardConfirmed always true: the next run performs what the guard held back
 * @param heldBack       the guard's message (absent when nothing is held back)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GuardConfirmationRepresentation(String component, boolean guardConfirmed, String heldBack) {
}
