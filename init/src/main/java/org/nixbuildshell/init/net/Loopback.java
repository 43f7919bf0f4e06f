package org.nixbuildshell.init.net;

import com.sun.jna.Memory;
import org.nixbuildshell.sys.Sys;

/**
 * Brings up {@code lo} in the new network namespace, as Nix does: set IFF_UP
 * with SIOCSIFFLAGS and let the kernel add 127.0.0.1/8 and ::1/128.
 */
public final class Loopback {
    private static final int AF_INET = 2, SOCK_DGRAM = 2, SOCK_CLOEXEC = 0x80000;
    private static final long SIOCGIFFLAGS = 0x8913, SIOCSIFFLAGS = 0x8914;
    private static final short IFF_UP = 1;
    private static final int IFREQ_SIZE = 40, IFR_FLAGS = 16;

    private Loopback() {}

    public static void up() {
        int fd = Sys.socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        try {
            Memory ifreq = new Memory(IFREQ_SIZE);
            ifreq.clear();
            ifreq.setString(0, "lo", "US-ASCII");
            Sys.ioctl(fd, SIOCGIFFLAGS, ifreq, "lo, SIOCGIFFLAGS");
            ifreq.setShort(IFR_FLAGS, (short) (ifreq.getShort(IFR_FLAGS) | IFF_UP));
            Sys.ioctl(fd, SIOCSIFFLAGS, ifreq, "lo, SIOCSIFFLAGS");
        } finally {
            Sys.close(fd);
        }
    }
}
