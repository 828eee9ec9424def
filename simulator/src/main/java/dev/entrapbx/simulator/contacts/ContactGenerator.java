package dev.entrapbx.simulator.contacts;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Realistic contacts in bulk, deterministic for a seed: people at fictional companies with phone numbers written
 * the way people type them - E.164 with and without spaces, national formats with and without a trunk prefix,
 * {@code 00} international prefixes, extensions - and a few that no parser can use ({@code ext. 12}). Numbers stay in
 * ranges reserved for fiction (UK 020 7946 0xxx, US 555-01xx) or clearly made up.
 */
public final class ContactGenerator {
    private static final String[] FIRST = {
        "Aaliyah", "Aaron", "Abigail", "Adrian", "Aisha", "Alejandro", "Amara", "Andrei", "Anika", "Arjun", "Astrid",
        "Beatriz", "Bjorn", "Caleb", "Carmen", "Chloe", "Dario", "Dmitri", "Elif", "Emeka", "Esther", "Fabio",
        "Farah", "Giulia", "Hamza", "Helga", "Ingrid", "Isabel", "Jakub", "Jasmine", "Joao", "Kaito", "Katarina",
        "Leila", "Lorenzo", "Lucia", "Malik", "Marta", "Mateo", "Mei", "Nadia", "Niamh", "Oskar", "Paloma",
        "Rania", "Rohan", "Saanvi", "Sebastian", "Siobhan", "Stefan", "Tamar", "Theo", "Valentina", "Yusuf", "Zara"};
    private static final String[] LAST = {
        "Abbott", "Adeyemi", "Bauer", "Becker", "Brennan", "Castillo", "Chowdhury", "Dalton", "Eriksen", "Fischer",
        "Fontaine", "Gallagher", "Hartmann", "Ibrahim", "Jovanovic", "Kaur", "Keller", "Larsen", "Lindgren",
        "Mancini", "Moreau", "Nakamura", "Novotny", "O'Brien", "Okonkwo", "Pereira", "Quinn", "Richter", "Romano",
        "Santos", "Schneider", "Sullivan", "Takahashi", "Vasquez", "Walsh", "Weiss", "Yilmaz", "Zimmermann"};
    private static final String[] COMPANIES = {
        "Contoso Ltd", "Fabrikam Inc", "Northwind Traders", "Adventure Works", "Tailspin Toys", "Wingtip Toys",
        "Woodgrove Bank", "Litware Inc", "Proseware Inc", "Fourth Coffee", "Alpine Ski House", "Coho Winery",
        "Lamna Healthcare", "Relecloud", "Trey Research", "Margie's Travel", "Wide World Importers",
        "Blue Yonder Airlines", "Graphic Design Institute", "VanArsdel Ltd"};
    private static final String[] TITLES = {
        "Account Manager", "Buyer", "Chief Financial Officer", "Consultant", "Customer Service Lead", "Director",
        "Facilities Manager", "Head of IT", "Legal Counsel", "Logistics Coordinator", "Office Manager",
        "Procurement Specialist", "Project Manager", "Sales Representative", "Service Technician"};
    private static final String[] DEPARTMENTS = {
        "Finance", "IT", "Legal", "Logistics", "Operations", "Procurement", "Sales", "Service", "Support"};
    private static final String[] CATEGORIES = {"Customer", "Supplier", "Partner", "VIP", "Personal"};
    private static final String[] UNPARSABLE = {"ext. 12", "call reception", "n/a", "+", "see email", "12"};

    private final SplittableRandom random;

    public ContactGenerator(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** Outlook contacts with a business phone (most), a mobile (many), sometimes a home phone and categories. */
    public List<ContactFields> contacts(int count) {
        List<ContactFields> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String first = pick(FIRST);
            String last = pick(LAST);
            String company = pick(COMPANIES);
            String email = emailOf(first, last, company);
            List<String> business = random.nextInt(10) < 9 ? List.of(phone()) : List.of();
            if (random.nextInt(10) == 0) {
                business = List.of(phone(), phone());
            }
            List<String> home = random.nextInt(6) == 0 ? List.of(phone()) : List.of();
            String mobile = random.nextInt(10) < 6 ? mobile() : null;
            List<String> categories = random.nextInt(4) == 0 ? List.of(pick(CATEGORIES)) : List.of();
            out.add(new ContactFields(first + " " + last, first, last, company, pick(TITLES), pick(DEPARTMENTS),
                    business, home, mobile, List.of(new EmailAddress(first + " " + last, email)), categories, null));
        }
        return out;
    }

    /** Organizational contacts (e.g. suppliers' hotlines mirrored into the directory). */
    public List<OrgContact> orgContacts(int count, long firstIndex) {
        List<OrgContact> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String first = pick(FIRST);
            String last = pick(LAST);
            String company = pick(COMPANIES);
            String nick = (first + "." + last).toLowerCase(Locale.ROOT).replace("'", "") + "." + (firstIndex + i);
            String mail = nick + "@" + domainOf(company);
            List<Phone> phones = new ArrayList<>();
            if (random.nextInt(10) < 9) {
                phones.add(new Phone("business", phone()));
            }
            if (random.nextInt(10) < 5) {
                phones.add(new Phone("mobile", mobile()));
            }
            if (random.nextInt(10) == 0) {
                phones.add(new Phone("businessFax", phone()));
            }
            List<PhysicalAddress> addresses = random.nextInt(3) == 0
                    ? List.of(new PhysicalAddress(random.nextInt(1, 200) + " Contoso Way", "Redmond", "WA",
                    "United States", "98052", null))
                    : List.of();
            out.add(new OrgContact(java.util.UUID.randomUUID().toString(), first + " " + last + " (" + company + ")",
                    first, last, company, pick(TITLES), pick(DEPARTMENTS), mail, nick, phones, addresses,
                    List.of("SMTP:" + mail)));
        }
        return out;
    }

    /** A landline in one of the formats people use; about one in thirty cannot be parsed. */
    String phone() {
        int n = random.nextInt(30);
        int d3 = random.nextInt(1000);
        int d4 = random.nextInt(10_000);
        return switch (n % 10) {
            case 0 -> String.format("+44 20 7946 0%03d", d3);
            case 1 -> String.format("(020) 7946 0%03d", d3);
            case 2 -> String.format("0049 30 %07d", random.nextInt(10_000_000));
            case 3 -> String.format("+49 30 %08d", random.nextInt(100_000_000));
            case 4 -> String.format("+1 425 555 01%02d", d3 % 100);
            case 5 -> String.format("(425) 555-01%02d", d3 % 100);
            case 6 -> String.format("+44207946%04d", d4 % 1000);
            case 7 -> String.format("030 %03d %04d", d3, d4);
            case 8 -> n == 8 ? pick(UNPARSABLE) : String.format("+33 1 %02d %02d %02d %02d", random.nextInt(100),
                    random.nextInt(100), random.nextInt(100), random.nextInt(100));
            default -> String.format("+1 206 555 01%02d ext. %d", d3 % 100, 10 + random.nextInt(90));
        };
    }

    private String mobile() {
        return switch (random.nextInt(4)) {
            case 0 -> String.format("+44 7700 900%03d", random.nextInt(1000));
            case 1 -> String.format("07700 900%03d", random.nextInt(1000));
            case 2 -> String.format("+49 151 %08d", random.nextInt(100_000_000));
            default -> String.format("+1 (206) 555-01%02d", random.nextInt(100));
        };
    }

    private static String emailOf(String first, String last, String company) {
        return (first.charAt(0) + last).toLowerCase(Locale.ROOT).replace("'", "") + "@" + domainOf(company);
    }

    private static String domainOf(String company) {
        String base = company.toLowerCase(Locale.ROOT).replaceAll("\\b(ltd|inc)\\b", "").replaceAll("[^a-z]", "");
        return base + ".example";
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }
}
