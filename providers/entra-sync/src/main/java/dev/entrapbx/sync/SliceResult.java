package dev.entrapbx.sync;

import java.util.ArrayList;
import java.util.List;

/** What writing a slice did: counts, per-user problems, and the users written (for the photo check). */
final class SliceResult {

    /** A per-user problem for the run log: an error (the user was not written) or a warning. */
    record Problem(boolean error, String oid, String username, String reason) {
    }

    int added;
    int updated;
    int unchanged;
    /** Existing users (signed in with Microsoft before the sync) that the sync took over, see {@link Adoption}. */
    int adopted;
    final List<Problem> problems = new ArrayList<>();
    /** The users written (created, updated or unchanged), for the photo check. */
    final List<PhotoSync.Target> written = new ArrayList<>();
    /** Object ids of the users created or adopted (new to this component), for the Entra groups mirror. */
    final List<String> arrived = new ArrayList<>();

    void add(SliceResult o) {
        added += o.added;
        updated += o.updated;
        unchanged += o.unchanged;
        adopted += o.adopted;
        problems.addAll(o.problems);
        written.addAll(o.written);
        arrived.addAll(o.arrived);
    }

    /** The counts and problems into the run log (on the run's thread). */
    void countInto(RunLog run) {
        run.added += added;
        run.updated += updated;
        run.skipped += unchanged;
        run.adopted += adopted;
        for (Problem p : problems) {
            run.problem(p.error(), p.oid(), p.username(), p.reason());
        }
    }
}
