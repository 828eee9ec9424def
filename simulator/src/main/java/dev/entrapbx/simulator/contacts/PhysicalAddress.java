package dev.entrapbx.simulator.contacts;

/** Graph's physicalAddress (contacts) and physicalOfficeAddress (orgContact, with officeLocation). */
public record PhysicalAddress(String street, String city, String state, String countryOrRegion, String postalCode,
                              String officeLocation) {
    public boolean isEmpty() {
        return street == null && city == null && state == null && countryOrRegion == null && postalCode == null
                && officeLocation == null;
    }
}
