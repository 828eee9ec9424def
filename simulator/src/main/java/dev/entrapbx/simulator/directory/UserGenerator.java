package dev.entrapbx.simulator.directory;

import dev.entrapbx.simulator.model.User;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Produces realistic users in bulk: names, job titles that fit the department, phones, offices, employee ids
 * and a desk extension in extensionAttribute1 for most of them. Deterministic for a given seed.
 */
final class UserGenerator {
    private static final String[] FIRST = {
        "Adele", "Alex", "Allan", "Amelia", "Ana", "Anders", "Ben", "Bianca", "Brian", "Camila", "Carlos", "Chen",
        "Christie", "Daniel", "Debra", "Diego", "Elena", "Emily", "Enrico", "Fatima", "Felix", "Grady", "Hana",
        "Henrietta", "Isaiah", "Ivan", "Jana", "Johanna", "Joni", "Jorge", "Kenji", "Lara", "Lee", "Lidia", "Lynne",
        "Mariam", "Megan", "Miriam", "Nestor", "Nina", "Noah", "Olga", "Omar", "Patti", "Pradeep", "Priya", "Quinn",
        "Rafael", "Raul", "Sakura", "Sara", "Sofia", "Tariq", "Tomas", "Uma", "Vera", "Wei", "Xavier", "Yara", "Zoe"};
    private static final String[] LAST = {
        "Vance", "Wilber", "Deyoung", "Brown", "Garcia", "Hansen", "Andrews", "Rossi", "Johnson", "Lopez",
        "Mendes", "Wang", "Cline", "Silva", "Berg", "Siciliani", "Petrova", "Davis", "Bianchi", "Khan", "Wagner",
        "Archie", "Sato", "Thunder", "Okafor", "Ivanov", "Novak", "Lindqvist", "Sherman", "Herrera", "Tanaka",
        "Costa", "Gu", "Holloway", "Robbins", "Haddad", "Bowen", "Alvarez", "Wilke", "Schmidt", "Levi", "Kowalski",
        "Farouk", "Fernandez", "Gupta", "Patel", "Murphy", "Oliveira", "Moreno", "Yamamoto", "Nilsson", "Ferrari",
        "Aziz", "Horvat", "Rao", "Weber", "Li", "Dubois", "Haddad", "Young"};
    private static final String[][] DEPARTMENTS = {
        {"Sales", "Account Executive", "Sales Manager", "Inside Sales Representative", "Sales Engineer"},
        {"Support", "Support Engineer", "Support Team Lead", "Customer Success Manager"},
        {"Engineering", "Software Engineer", "Senior Software Engineer", "Engineering Manager", "QA Engineer"},
        {"Marketing", "Marketing Specialist", "Product Marketing Manager", "Content Writer"},
        {"Finance", "Accountant", "Financial Analyst", "Controller"},
        {"Human Resources", "HR Generalist", "Recruiter", "HR Manager"},
        {"Operations", "Operations Analyst", "Facilities Coordinator", "Operations Manager"},
        {"Legal", "Paralegal", "Corporate Counsel"}};
    private static final String[] OFFICES = {
        "12/1110", "18/2111", "20/1101", "131/1104", "24/1106", "Berlin 3.14", "London 5.02", "Lisbon 2.07",
        "Seattle 40/3100", "Remote"};
    private static final String[] LANGUAGES = {"en-US", "en-GB", "de-DE", "fr-FR", "es-ES", "pt-PT"};

    private final SplittableRandom random;

    UserGenerator(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /**
     * {@code count} users numbered from {@code firstIndex}; user principal names are
     * {@code [prefix.]first.last.N@domain}, so they never collide with each other.
     */
    List<User.Builder> generate(long firstIndex, int count, String domain, String prefix, String companyName) {
        List<User.Builder> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long n = firstIndex + i;
            String first = pick(FIRST);
            String last = pick(LAST);
            String[] dept = DEPARTMENTS[random.nextInt(DEPARTMENTS.length)];
            String local = (prefix == null || prefix.isBlank() ? "" : prefix.trim() + ".")
                    + first.toLowerCase(Locale.ROOT) + "." + last.toLowerCase(Locale.ROOT) + "." + n;
            String upn = local + "@" + domain;
            User.Builder b = User.builder()
                    .userPrincipalName(upn)
                    .mail(upn)
                    .givenName(first)
                    .surname(last)
                    .displayName(first + " " + last)
                    .department(dept[0])
                    .jobTitle(dept[1 + random.nextInt(dept.length - 1)])
                    .companyName(companyName)
                    .officeLocation(pick(OFFICES))
                    .preferredLanguage(pick(LANGUAGES))
                    .businessPhones(String.format("+1 425 555 %04d", random.nextInt(10_000)))
                    .mobilePhone(String.format("+1 206 555 %04d", random.nextInt(10_000)))
                    .employeeId(String.format("E%07d", n))
                    .accountEnabled(random.nextInt(100) >= 2)
                    .password("Generated-Passw0rd!");
            if (random.nextInt(10) < 8) {
                b.extensionAttribute(1, String.valueOf(20_000 + (n % 80_000)));
            }
            out.add(b);
        }
        return out;
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }
}
