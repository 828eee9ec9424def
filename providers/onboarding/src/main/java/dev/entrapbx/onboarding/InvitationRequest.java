package dev.entrapbx.onboarding;

import java.util.List;

/**
 * {@code POST /admin/realms/{realm}/entra-onboarding/invitations}: the customer's name, its email
 * domains, and optionally the extension range its people get and the first number to hand out.
 */
public class InvitationRequest {
    public String name;
    public List<String> domains;
    /** e.g. "2000-2999"; empty: the sync's default range. */
    public String extensionRange;
    /** The first extension handed out, inside the range; empty: the range's first number. */
    public Long startNumber;
    /** When the link stops working (ISO-8601 instant, at most 90 days ahead); empty: the partner app's invitation validity. */
    public String expiresAt;
}
