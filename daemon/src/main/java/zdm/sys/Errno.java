package zdm.sys;

/** The errno values zdm tells apart (Linux, every architecture zdm runs on), once. */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int ECHILD = 10;
    public static final int EAGAIN = 11;
    public static final int ENOSYS = 38;
    public static final int ELOOP = 40;
    public static final int EADDRINUSE = 98;

    private Errno() {}
}
