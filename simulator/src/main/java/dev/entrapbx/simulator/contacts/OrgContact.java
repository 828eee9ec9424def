package dev.entrapbx.simulator.contacts;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * An organizational contact (https://learn.microsoft.com/graph/api/resources/orgcontact): a directory object of the
 * tenant, read-only in Graph (the control API writes it). Immutable.
 *
 * @param phones    types business, businessFax, mobile (Graph allows one of each)
 * @param addresses physicalOfficeAddress list (Graph allows one)
 */
public record OrgContact(String id, String displayName, String givenName, String surname, String companyName,
                         String jobTitle, String department, String mail, String mailNickname, List<Phone> phones,
                         List<PhysicalAddress> addresses, List<String> proxyAddresses) {

    /** Graph property names in the order Graph lists them; all of them are default properties. */
    public static final List<String> PROPERTIES = List.of("id", "addresses", "companyName", "department",
            "displayName", "givenName", "jobTitle", "mail", "mailNickname", "onPremisesLastSyncDateTime",
            "onPremisesProvisioningErrors", "onPremisesSyncEnabled", "phones", "proxyAddresses", "surname");

    public OrgContact {
        phones = phones == null ? List.of() : List.copyOf(phones);
        addresses = addresses == null ? List.of() : List.copyOf(addresses);
        proxyAddresses = proxyAddresses == null ? List.of() : List.copyOf(proxyAddresses);
    }

    /** A copy with the properties present in {@code patch} replaced (null clears). */
    public OrgContact apply(JsonNode patch) {
        if (patch == null || !patch.isObject()) {
            throw new IllegalArgumentException("An orgContact must be a JSON object");
        }
        String displayName = this.displayName;
        String givenName = this.givenName;
        String surname = this.surname;
        String companyName = this.companyName;
        String jobTitle = this.jobTitle;
        String department = this.department;
        String mail = this.mail;
        String mailNickname = this.mailNickname;
        List<Phone> phones = this.phones;
        List<PhysicalAddress> addresses = this.addresses;
        List<String> proxy = this.proxyAddresses;
        Iterator<Map.Entry<String, JsonNode>> it = patch.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode n = e.getValue();
            switch (e.getKey()) {
                case "id" -> { }
                case "displayName" -> displayName = ContactFields.text("displayName", n);
                case "givenName" -> givenName = ContactFields.text("givenName", n);
                case "surname" -> surname = ContactFields.text("surname", n);
                case "companyName" -> companyName = ContactFields.text("companyName", n);
                case "jobTitle" -> jobTitle = ContactFields.text("jobTitle", n);
                case "department" -> department = ContactFields.text("department", n);
                case "mail" -> mail = ContactFields.text("mail", n);
                case "mailNickname" -> mailNickname = ContactFields.text("mailNickname", n);
                case "proxyAddresses" -> proxy = ContactFields.strings("proxyAddresses", n);
                case "phones" -> phones = phones(n);
                case "addresses" -> {
                    List<PhysicalAddress> out = new ArrayList<>();
                    if (n != null && n.isArray()) {
                        n.forEach(a -> out.add(ContactFields.address(a)));
                    } else if (n != null && !n.isNull()) {
                        throw new IllegalArgumentException("Property 'addresses' must be an array");
                    }
                    addresses = out;
                }
                default -> throw new IllegalArgumentException("Could not find a property named '" + e.getKey()
                        + "' on type 'microsoft.graph.orgContact'.");
            }
        }
        return new OrgContact(id, displayName, givenName, surname, companyName, jobTitle, department, mail,
                mailNickname, phones, addresses, proxy);
    }

    private static List<Phone> phones(JsonNode n) {
        List<Phone> out = new ArrayList<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (!n.isArray()) {
            throw new IllegalArgumentException("Property 'phones' must be an array of {type, number}");
        }
        Set<String> types = new TreeSet<>();
        for (JsonNode p : n) {
            String type = ContactFields.text("type", p.get("type"));
            if (type == null || !types.add(type)) {
                throw new IllegalArgumentException("Each phone needs a type, and only one of each type can be present");
            }
            out.add(new Phone(type, ContactFields.text("number", p.get("number"))));
        }
        return out;
    }

    /** Graph names of the properties whose values differ. */
    public static Set<String> changed(OrgContact a, OrgContact b) {
        Set<String> out = new TreeSet<>();
        diff(out, "displayName", a.displayName, b.displayName);
        diff(out, "givenName", a.givenName, b.givenName);
        diff(out, "surname", a.surname, b.surname);
        diff(out, "companyName", a.companyName, b.companyName);
        diff(out, "jobTitle", a.jobTitle, b.jobTitle);
        diff(out, "department", a.department, b.department);
        diff(out, "mail", a.mail, b.mail);
        diff(out, "mailNickname", a.mailNickname, b.mailNickname);
        diff(out, "phones", a.phones, b.phones);
        diff(out, "addresses", a.addresses, b.addresses);
        diff(out, "proxyAddresses", a.proxyAddresses, b.proxyAddresses);
        return out;
    }

    private static void diff(Set<String> out, String name, Object x, Object y) {
        if (!Objects.equals(x, y)) {
            out.add(name);
        }
    }
}
