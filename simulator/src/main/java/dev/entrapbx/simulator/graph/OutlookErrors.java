package dev.entrapbx.simulator.graph;

/**
 * Errors the Outlook workload behind Graph answers for mailbox resources (contacts, contactFolders), with the codes
 * and messages clients see in practice: ErrorInvalidUser, MailboxNotEnabledForRESTAPI, ErrorItemNotFound,
 * ErrorInvalidIdMalformed, ErrorAccessDenied, SyncStateNotFound (410) and ApplicationThrottled (429).
 */
final class OutlookErrors {
    private OutlookErrors() { }

    /** A user id or UPN that names no user of the tenant. */
    static GraphException invalidUser(String key) {
        return new GraphException(404, "ErrorInvalidUser", "The requested user '" + key + "' is invalid.");
    }

    /** A user without a (REST-enabled) mailbox: guests, unlicensed users, disabled mailboxes. */
    static GraphException mailboxNotEnabled() {
        return new GraphException(404, "MailboxNotEnabledForRESTAPI",
                "The mailbox is either inactive, soft-deleted, or is hosted on-premise.");
    }

    static GraphException itemNotFound() {
        return new GraphException(404, "ErrorItemNotFound", "The specified object was not found in the store.");
    }

    static GraphException idMalformed() {
        return new GraphException(400, "ErrorInvalidIdMalformed", "Id is malformed.");
    }

    /** What Outlook answers an app without Contacts.Read / Contacts.ReadWrite. */
    static GraphException accessDenied() {
        return new GraphException(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.");
    }

    /**
     * An expired or unknown Outlook delta/skip token: 410 Gone, code SyncStateNotFound, as Graph answers it for
     * Outlook entities (https://github.com/microsoftgraph/microsoft-graph-docs/issues/2350; delta-query-overview:
     * "a 40X-series error with error codes such as syncStateNotFound").
     */
    static GraphException syncStateNotFound(long generation, long highest) {
        return new GraphException(410, "SyncStateNotFound", "The sync state generation is not found; generation="
                + generation + ";[highest=" + highest + "][" + highest + "].");
    }

    static GraphException unknownProperty(String name) {
        return new GraphException(400, "RequestBroker--ParseUri", "Could not find a property named '" + name
                + "' on type 'Microsoft.OutlookServices.Contact'.");
    }

    static GraphException unsupportedFilter() {
        return new GraphException(400, "ErrorInvalidUrlQueryFilter",
                "The query filter contains one or more invalid nodes.");
    }
}
