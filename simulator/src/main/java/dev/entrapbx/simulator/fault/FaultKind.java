package dev.entrapbx.simulator.fault;

/** What an injected fault does to a matching request. */
public enum FaultKind {
    /** 429 Too Many Requests with a Retry-After header. */
    THROTTLE,
    /** 503 Service Unavailable, optionally with Retry-After. */
    SERVICE_UNAVAILABLE,
    /** 504 Gateway Timeout, optionally with Retry-After. */
    GATEWAY_TIMEOUT,
    /** Any other status (e.g. 500, 502), optionally with Retry-After. */
    STATUS,
    /** The request is handled normally after an added delay. */
    LATENCY,
    /** 200 with a JSON body that does not parse. */
    MALFORMED_JSON,
    /**
     * 200 with a syntactically valid page whose {@code value} array is cut in half and that carries neither
     * {@code @odata.nextLink} nor {@code @odata.deltaLink}: an incomplete collection a sync must not trust.
     */
    TRUNCATED_PAGE,
    /** Headers announce the full body, half of it is sent, then the connection closes (premature EOF). */
    CONNECTION_CLOSE,
    /** The connection is closed without any response. */
    CONNECTION_RESET
}
