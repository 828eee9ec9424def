package dev.entrapbx.sync.graph;

import com.microsoft.graph.models.ContactFolder;
import com.microsoft.graph.models.ContactFolderCollectionResponse;
import com.microsoft.graph.models.EmailAddress;
import com.microsoft.graph.models.OrgContact;
import com.microsoft.graph.models.User;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import dev.entrapbx.graph.GraphException;
import dev.entrapbx.sync.contacts.Contact;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Outlook contacts and organizational contacts through Graph (application permissions), on the same
 * client, retry layer and error translation as {@link GraphDirectory}:
 * <ul>
 * <li>a mailbox's contact folders: {@code GET /users/{id}/contactFolders} and each folder's
 *     {@code childFolders} (nested folders);</li>
 * <li>a folder's contacts delta: {@code GET /users/{id}/contactFolders/{folderId}/contacts/delta},
 *     the default Contacts folder's at {@code GET /users/{id}/contacts/delta}; deleted contacts come
 *     as {@code {"id": ..., "@removed": {...}}};</li>
 * <li>organizational contacts: {@code GET /contacts/delta} ({@code orgContact}).</li>
 * </ul>
 * Numbers are normalised with the phone system's region as they are read.
 */
public final class GraphContacts {

    /** The stored folder id of a mailbox's default Contacts folder (read at {@code /users/{id}/contacts/delta}). */
    public static final String DEFAULT_FOLDER = "contacts";
    /** The page size asked for contacts delta (Prefer: odata.maxpagesize; Outlook caps contact delta pages at 200). */
    public static final int PAGE_SIZE = 200;
    private static final String PREFER = "odata.maxpagesize=" + PAGE_SIZE;

    private final GraphDirectory graph;
    private final GraphServiceClient client;

    public GraphContacts(GraphDirectory graph) {
        this.graph = graph;
        this.client = graph.client();
    }

    /** One page of a delta round: contacts added or changed, Graph ids removed, and exactly one of nextLink / deltaLink. */
    public record ContactPage(List<Contact> contacts, List<String> removed, String nextLink, String deltaLink) {
    }

    public record Folder(String id, String displayName, String parentId) {
    }

    /** A mailbox as Graph knows it: object id, name, address. */
    public record Mailbox(String id, String displayName, String mail) {
    }

    /** {@code GET /users/{idOrAddress}?$select=id,displayName,mail,userPrincipalName}. */
    public Mailbox mailbox(String idOrAddress) {
        User u = graph.call("GET /users/" + idOrAddress, () -> client.users().byUserId(idOrAddress)
                .get(rc -> rc.queryParameters.select = new String[] {"id", "displayName", "mail", "userPrincipalName"}));
        if (u == null || u.getId() == null) {
            throw new GraphDirectory.BrokenPage("a user without an id");
        }
        return new Mailbox(u.getId(), u.getDisplayName(), u.getMail() != null ? u.getMail() : u.getUserPrincipalName());
    }

    /**
     * Every contact folder in the mailbox's default Contacts folder, nested folders included
     * (depth-first): {@code /contactFolders} lists "the contact folder collection in the default
     * Contacts folder", not the default folder itself, which is read at {@code /users/{id}/contacts}.
     */
    public List<Folder> folders(String mailbox) {
        List<Folder> out = new ArrayList<>();
        ContactFolderCollectionResponse page = graph.call("GET /users/{id}/contactFolders", () -> client.users().byUserId(mailbox)
                .contactFolders().get(rc -> rc.queryParameters.top = 100));
        collect(mailbox, page, out, 0);
        return out;
    }

    private void collect(String mailbox, ContactFolderCollectionResponse page, List<Folder> out, int depth) {
        while (page != null) {
            if (page.getValue() == null) {
                throw new GraphDirectory.BrokenPage("no 'value' array");
            }
            for (ContactFolder f : page.getValue()) {
                out.add(new Folder(f.getId(), f.getDisplayName(), f.getParentFolderId()));
                if (depth < 10) {
                    ContactFolderCollectionResponse children = graph.call("GET /users/{id}/contactFolders/{id}/childFolders",
                            () -> client.users().byUserId(mailbox).contactFolders().byContactFolderId(f.getId()).childFolders()
                                    .get(rc -> rc.queryParameters.top = 100));
                    collect(mailbox, children, out, depth + 1);
                }
            }
            String next = page.getOdataNextLink();
            page = next == null ? null : graph.call("GET /users/{id}/contactFolders (next page)",
                    () -> client.users().byUserId(mailbox).contactFolders().withUrl(next).get());
        }
    }

    /**
     * A page of a folder's contacts delta: the first of a new round when {@code link} is null, else the
     * page at a nextLink or deltaLink of an earlier answer. {@code folderId} {@value #DEFAULT_FOLDER} is
     * the default Contacts folder.
     */
    public ContactPage contactsDelta(String mailbox, String folderId, String link, String region) {
        String what = DEFAULT_FOLDER.equals(folderId) ? "GET /users/{id}/contacts/delta" : "GET /users/{id}/contactFolders/{id}/contacts/delta";
        return graph.call(link == null ? what : what + " (next page)", () -> {
            // the same request a batch step sends, sent alone; Graph's errors parsed as the SDK's builders do
            java.util.HashMap<String, com.microsoft.kiota.serialization.ParsableFactory<? extends com.microsoft.kiota.serialization.Parsable>>
                    errors = new java.util.HashMap<>();
            errors.put("XXX", com.microsoft.graph.models.odataerrors.ODataError::createFromDiscriminatorValue);
            var r = client.getRequestAdapter().send(request(new DeltaRequest(mailbox, folderId, link)), errors,
                    com.microsoft.graph.users.item.contacts.delta.DeltaGetResponse::createFromDiscriminatorValue);
            if (r == null) {
                throw new GraphDirectory.BrokenPage("no answer");
            }
            return page(r.getValue(), r.getOdataNextLink(), r.getOdataDeltaLink(), folderId, region, what);
        });
    }

    /** One folder's next delta request in a batch: {@code link} null starts a new round. */
    public record DeltaRequest(String mailbox, String folderId, String link) {
    }

    /** A batch step's outcome: its page, or the failure the request alone would have given. */
    public record DeltaResult(ContactPage page, GraphException failure) {
    }

    /**
     * Up to {@value GraphDirectory#BATCH_LIMIT} folders' next delta pages in one JSON batch
     * ({@code POST /$batch}), so reading a thousand mailboxes costs a fiftieth of the round trips.
     * Steps Graph throttles inside the batch are asked again after their {@code Retry-After} by the
     * retry layer; a step that still fails is that folder's failure only. A batch Graph refuses as a
     * whole is a GraphException for all of them.
     */
    public Map<DeltaRequest, DeltaResult> contactsDelta(List<DeltaRequest> requests, String region) {
        if (requests.size() > GraphDirectory.BATCH_LIMIT) {
            throw new IllegalArgumentException("at most " + GraphDirectory.BATCH_LIMIT + " requests per batch");
        }
        com.microsoft.graph.core.content.BatchRequestContent content = new com.microsoft.graph.core.content.BatchRequestContent(client);
        Map<String, DeltaRequest> byStep = new java.util.LinkedHashMap<>();
        for (DeltaRequest r : requests) {
            byStep.put(content.addBatchRequestStep(request(r)), r);
        }
        com.microsoft.graph.core.content.BatchResponseContent answer = graph.batch(content, "contacts delta");
        Map<String, Integer> status = answer.getResponsesStatusCode();
        Map<DeltaRequest, DeltaResult> out = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, DeltaRequest> step : byStep.entrySet()) {
            DeltaRequest r = step.getValue();
            String what = (DEFAULT_FOLDER.equals(r.folderId()) ? "GET /users/{id}/contacts/delta" : "GET /users/{id}/contactFolders/{id}/contacts/delta")
                    + (r.link() == null ? "" : " (next page)");
            Integer code = status.get(step.getKey());
            if (code == null) {
                out.put(r, new DeltaResult(null, new GraphException("Graph's POST /$batch answer had no response for "
                        + what, 0, null, null)));
            } else if (code != 200) {
                out.put(r, new DeltaResult(null, graph.stepFailure(answer, step.getKey(), code, what)));
            } else {
                try {
                    var page = graph.call(what, () -> answer.getResponseById(step.getKey(),
                            com.microsoft.graph.users.item.contacts.delta.DeltaGetResponse::createFromDiscriminatorValue));
                    out.put(r, new DeltaResult(page(page == null ? null : page.getValue(), page == null ? null : page.getOdataNextLink(),
                            page == null ? null : page.getOdataDeltaLink(), r.folderId(), region, what), null));
                } catch (GraphException e) {
                    out.put(r, new DeltaResult(null, e));
                }
            }
        }
        return out;
    }

    private com.microsoft.kiota.RequestInformation request(DeltaRequest r) {
        if (DEFAULT_FOLDER.equals(r.folderId())) {
            var b = client.users().byUserId(r.mailbox()).contacts().delta();
            return r.link() == null ? b.toGetRequestInformation(rc -> rc.headers.add("Prefer", PREFER))
                    : b.withUrl(r.link()).toGetRequestInformation(rc -> rc.headers.add("Prefer", PREFER));
        }
        var b = client.users().byUserId(r.mailbox()).contactFolders().byContactFolderId(r.folderId()).contacts().delta();
        return r.link() == null ? b.toGetRequestInformation(rc -> rc.headers.add("Prefer", PREFER))
                : b.withUrl(r.link()).toGetRequestInformation(rc -> rc.headers.add("Prefer", PREFER));
    }

    /** A contacts delta answer as a page; an answer without value or with not exactly one link cannot be used. */
    private ContactPage page(List<com.microsoft.graph.models.Contact> value, String next, String delta, String folderId, String region, String what) {
        return graph.call(what, () -> {
            if (value == null) {
                throw new GraphDirectory.BrokenPage("no 'value' array");
            }
            GraphDirectory.requireOneLink(next, delta);
            List<Contact> contacts = new ArrayList<>();
            List<String> removed = new ArrayList<>();
            for (com.microsoft.graph.models.Contact c : value) {
                if (c.getId() == null) {
                    throw new GraphDirectory.BrokenPage("a contact without an id");
                }
                if (removedEntry(c.getAdditionalData())) {
                    removed.add(c.getId());
                } else {
                    contacts.add(toContact(c, folderId, region));
                }
            }
            return new ContactPage(contacts, removed, next, delta);
        });
    }

    /** A page of the tenant's organizational contacts delta ({@code GET /contacts/delta}). */
    public ContactPage orgContactsDelta(String link, String region) {
        return graph.call(link == null ? "GET /contacts/delta" : "GET /contacts/delta (next page)", () -> {
            var builder = client.contacts().delta();
            var r = link == null ? builder.get(rc -> rc.queryParameters.select = new String[] {"id", "displayName", "givenName", "surname",
                    "companyName", "jobTitle", "department", "mail", "phones"}) : builder.withUrl(link).get();
            if (r == null || r.getValue() == null) {
                throw new GraphDirectory.BrokenPage("no 'value' array");
            }
            GraphDirectory.requireOneLink(r.getOdataNextLink(), r.getOdataDeltaLink());
            List<Contact> contacts = new ArrayList<>();
            List<String> removed = new ArrayList<>();
            for (OrgContact c : r.getValue()) {
                if (c.getId() == null) {
                    throw new GraphDirectory.BrokenPage("an organizational contact without an id");
                }
                if (removedEntry(c.getAdditionalData())) {
                    removed.add(c.getId());
                } else {
                    contacts.add(toContact(c, region));
                }
            }
            return new ContactPage(contacts, removed, r.getOdataNextLink(), r.getOdataDeltaLink());
        });
    }

    private static boolean removedEntry(Map<String, Object> additional) {
        return additional != null && additional.containsKey("@removed");
    }

    static Contact toContact(com.microsoft.graph.models.Contact c, String folderId, String region) {
        List<Contact.Phone> phones = new ArrayList<>();
        if (c.getBusinessPhones() != null) {
            c.getBusinessPhones().stream().filter(Objects::nonNull).forEach(p -> phones.add(Contact.Phone.of("business", p, region)));
        }
        if (c.getMobilePhone() != null && !c.getMobilePhone().isBlank()) {
            phones.add(Contact.Phone.of("mobile", c.getMobilePhone(), region));
        }
        if (c.getHomePhones() != null) {
            c.getHomePhones().stream().filter(Objects::nonNull).forEach(p -> phones.add(Contact.Phone.of("home", p, region)));
        }
        List<String> emails = c.getEmailAddresses() == null ? List.of()
                : c.getEmailAddresses().stream().map(EmailAddress::getAddress).filter(Objects::nonNull).toList();
        return new Contact(c.getId(), folderId, c.getDisplayName(), c.getGivenName(), c.getSurname(), c.getCompanyName(), c.getJobTitle(),
                c.getDepartment(), emails, phones);
    }

    static Contact toContact(OrgContact c, String region) {
        List<Contact.Phone> phones = new ArrayList<>();
        if (c.getPhones() != null) {
            for (com.microsoft.graph.models.Phone p : c.getPhones()) {
                if (p.getNumber() != null && !p.getNumber().isBlank()) {
                    phones.add(Contact.Phone.of(p.getType() == null ? "other" : p.getType().getValue(), p.getNumber(), region));
                }
            }
        }
        return new Contact(c.getId(), null, c.getDisplayName(), c.getGivenName(), c.getSurname(), c.getCompanyName(), c.getJobTitle(),
                c.getDepartment(), c.getMail() == null ? List.of() : List.of(c.getMail()), phones);
    }
}
