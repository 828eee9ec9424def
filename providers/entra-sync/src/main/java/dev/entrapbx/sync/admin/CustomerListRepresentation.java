package dev.entrapbx.sync.admin;

import java.util.List;

/** {@code GET .../entra-sync/customers}: a page of customers and how many the search matches. */
public record CustomerListRepresentation(long total, int first, List<CustomerRepresentation> customers) {
}
