package dev.entrapbx.simulator.contacts;

/** Graph's phone complex type ({@code type}: business, businessFax, mobile, home, other, ...). */
public record Phone(String type, String number) { }
