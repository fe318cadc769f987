package io.edgesync.agent.doctor;

/**
 * The outcome of one check of {@code edgesync agent doctor}.
 *
 * @param check  what was checked, e.g. {@code dns gateway} or {@code store integrity}
 * @param status {@link Status#OK}, {@link Status#WARN} (works, but needs attention) or {@link Status#FAIL}
 * @param detail what was found
 * @param fix    what to do about it; empty when nothing needs doing
 */
public record Finding(String check, Status status, String detail, String fix) {

    /** How bad a finding is. */
    public enum Status { OK, WARN, FAIL }

    public static Finding ok(String check, String detail) {
        return new Finding(check, Status.OK, detail, "");
    }

    public static Finding warn(String check, String detail, String fix) {
        return new Finding(check, Status.WARN, detail, fix);
    }

    public static Finding fail(String check, String detail, String fix) {
        return new Finding(check, Status.FAIL, detail, fix);
    }
}
