package dev.entrapbx.directory.webhook;

/**
 * A secret rotation: how long the previous secret keeps signing deliveries next to the new one
 * (seconds, 0 to 604800; default 86400 = 24 h).
 */
public record RotateSecretRequest(Long overlapSeconds) {
}
