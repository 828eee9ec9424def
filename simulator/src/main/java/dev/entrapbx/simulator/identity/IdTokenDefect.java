package dev.entrapbx.simulator.identity;

/** One deliberate defect an ID token can be issued with, so relying parties' negative paths can be tested. */
public enum IdTokenDefect {
    /** iss names a tenant-less issuer on another host. */
    WRONG_ISSUER,
    /** aud is a different client id. */
    WRONG_AUDIENCE,
    /** The signature does not verify. */
    BAD_SIGNATURE,
    /** exp (and iat/nbf) lie in the past. */
    EXPIRED,
    /** nonce differs from the one of the authorize request. */
    WRONG_NONCE,
    /** Signed with a key whose kid is not in the JWKS. */
    UNKNOWN_KID,
    /** No tid claim. */
    MISSING_TID,
    /**
     * tid (and, consistently, iss) name another tenant than the user's, validly signed: what a token of a tenant
     * that a multi-tenant relying party does not allow looks like.
     */
    TID_OF_OTHER_TENANT
}
