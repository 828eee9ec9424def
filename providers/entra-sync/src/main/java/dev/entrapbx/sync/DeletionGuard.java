package dev.entrapbx.sync;

/**
 * The accidental-delete guard's rule: a run that would disable or delete more than
 * {@code maxUsers} users, or more than {@code maxPercent} percent of the component's synced
 * users, performs none of it. A limit of 0 is off. The percentage counts from
 * {@value #PERCENT_FLOOR} removals up, so a small customer's single leaver never trips it.
 */
public final class DeletionGuard {

    static final int PERCENT_FLOOR = 5;

    private DeletionGuard() {
    }

    public static boolean trips(int actions, int syncedUsers, int maxUsers, int maxPercent) {
        if (actions == 0) {
            return false;
        }
        if (maxUsers > 0 && actions > maxUsers) {
            return true;
        }
        return maxPercent > 0 && syncedUsers > 0 && actions >= PERCENT_FLOOR && (long) actions * 100 > (long) maxPercent * syncedUsers;
    }

    static String describe(int maxUsers, int maxPercent) {
        String users = maxUsers > 0 ? "more than " + maxUsers + " users" : null;
        String percent = maxPercent > 0 ? "more than " + maxPercent + "% (from " + PERCENT_FLOOR + " users up)" : null;
        if (users != null && percent != null) {
            return users + " or " + percent;
        }
        return users != null ? users : percent != null ? percent : "off";
    }

    /** The run log's (and the admin event's) explanation when the guard stopped a run. */
    static String message(int actions, int syncedUsers, int maxUsers, int maxPercent, String componentId) {
        return "Accidental-delete guard: this run would disable or delete " + actions + " of " + syncedUsers
                + " synced users (limits: " + describe(maxUsers, maxPercent)
                + "), so none of that was done and the delta link was kept. If Entra really lost these users, confirm once "
                + "(POST .../entra-sync/" + componentId + "/guard/confirm) and sync again.";
    }
}
