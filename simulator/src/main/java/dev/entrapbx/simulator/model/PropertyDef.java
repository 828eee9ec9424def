package dev.entrapbx.simulator.model;

/**
 * A property of a directory object type.
 *
 * @param defaultSelected returned by Graph when no $select is given
 * @param readOnly        set by the directory, not by callers
 */
public record PropertyDef(String name, PropertyType type, boolean defaultSelected, boolean readOnly) { }
