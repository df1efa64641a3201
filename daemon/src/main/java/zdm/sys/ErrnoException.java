package zdm.sys;

import java.io.IOException;

/** A system call that failed: which call, and the errno, for a caller that words the failure its own way. */
public final class ErrnoException extends IOException {
    private final String call;
    private final int errno;

    public ErrnoException(String call, int errno) {
        super(Libc.failureText(call, errno));
        this.call = call;
        this.errno = errno;
    }

    public String call() {
        return call;
    }

    public int errno() {
        return errno;
    }
}
