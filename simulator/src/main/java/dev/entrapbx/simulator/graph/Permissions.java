package dev.entrapbx.simulator.graph;

import java.util.List;

/**
 * Permissions that allow each kind of read (least to most privileged), as listed on the Graph API pages
 * (e.g. https://learn.microsoft.com/graph/api/user-list, group-list-members, profilephoto-get).
 * A token passes when it carries any of them as an app role (app-only) or scope (delegated).
 */
final class Permissions {
    static final List<String> ORGANIZATION = List.of("User.Read", "Organization.Read.All", "Organization.ReadWrite.All",
            "Directory.Read.All", "Directory.ReadWrite.All");
    static final List<String> DOMAINS = List.of("Domain.Read.All", "Domain.ReadWrite.All", "Directory.Read.All",
            "Directory.ReadWrite.All");
    static final List<String> APPLICATIONS = List.of("Application.Read.All", "Application.ReadWrite.All",
            "Directory.Read.All", "Directory.ReadWrite.All");
    static final List<String> USERS = List.of("User.ReadBasic.All", "User.Read.All", "User.ReadWrite.All",
            "Directory.Read.All", "Directory.ReadWrite.All");
    static final List<String> ME = List.of("User.Read", "User.ReadWrite", "User.ReadBasic.All", "User.Read.All",
            "Directory.Read.All");
    static final List<String> GROUPS = List.of("GroupMember.Read.All", "Group.Read.All", "Group.ReadWrite.All",
            "Directory.Read.All", "Directory.ReadWrite.All");
    static final List<String> MEMBERSHIP = List.of("GroupMember.Read.All", "Group.Read.All", "Directory.Read.All",
            "Directory.ReadWrite.All");
    static final List<String> USER_MEMBER_OF = List.of("GroupMember.Read.All", "User.Read.All", "Directory.Read.All",
            "Directory.ReadWrite.All");
    static final List<String> PHOTOS = List.of("User.Read", "ProfilePhoto.Read.All", "User.Read.All",
            "User.ReadWrite.All");

    /** Outlook contacts and contact folders (contact-delta, user-list-contacts, user-list-contactfolders). */
    static final List<String> CONTACTS = List.of("Contacts.Read", "Contacts.ReadWrite");
    /** Organizational contacts (orgcontact-list, orgcontact-delta: least privileged OrgContact.Read.All). */
    static final List<String> ORG_CONTACTS = List.of("OrgContact.Read.All", "Directory.Read.All",
            "Directory.ReadWrite.All");

    /** presence-get, cloudcommunications-getpresencesbyuserid: Presence.Read.All (app), Presence.Read (delegated). */
    static final List<String> PRESENCE_READ = List.of("Presence.Read", "Presence.Read.All", "Presence.ReadWrite",
            "Presence.ReadWrite.All");
    /** getPresencesByUserId: delegated Presence.Read.All, application Presence.Read.All or Presence.ReadWrite.All. */
    static final List<String> PRESENCE_READ_ALL = List.of("Presence.Read.All", "Presence.ReadWrite.All");
    /** presence-setpresence, presence-clearpresence: Presence.ReadWrite.All (app), Presence.ReadWrite (delegated). */
    static final List<String> PRESENCE_WRITE = List.of("Presence.ReadWrite", "Presence.ReadWrite.All");
    /** calendar-getschedule (application: Calendars.ReadBasic least privileged, Calendars.Read, .ReadWrite). */
    static final List<String> SCHEDULE = List.of("Calendars.ReadBasic", "Calendars.Read", "Calendars.ReadWrite");

    private Permissions() { }
}
