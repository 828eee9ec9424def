package dev.entrapbx.simulator.contacts;

/** Graph's emailAddress complex type: {@code {"name","address"}}. */
public record EmailAddress(String name, String address) { }
