package org.nixbuildshell.init.mount;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.nixbuildshell.sys.ProcFs;

/** This mount namespace's mounts, from /proc/self/mountinfo (proc(5)). */
final class MountTable {
    private MountTable() {}

    /** The mount points strictly below {@code dir}, in the order they were mounted. */
    static List<String> below(String dir) {
        String text;
        try {
            text = ProcFs.read("/proc/self/mountinfo");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> points = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] fields = line.split(" ");
            if (fields.length > 4) {
                String point = unescape(fields[4]);
                if (point.startsWith(dir + "/")) {
                    points.add(point);
                }
            }
        }
        return points;
    }

    /** mountinfo writes space, tab, newline and backslash as \040, \011, \012 and \134. */
    static String unescape(String field) {
        StringBuilder s = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length() && field.substring(i + 1, i + 4).chars().allMatch(d -> d >= '0' && d <= '7')) {
                s.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                s.append(c);
            }
        }
        return s.toString();
    }
}
