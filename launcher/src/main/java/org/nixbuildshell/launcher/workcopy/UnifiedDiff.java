package org.nixbuildshell.launcher.workcopy;

import java.util.ArrayList;
import java.util.List;

/**
 * A unified diff of two texts, as {@code diff -u} writes it: Myers' O((N+M)D) shortest edit script
 * (E. Myers, "An O(ND) Difference Algorithm and Its Variations", 1986), then hunks with three lines
 * of context. A last line without newline gets the "\ No newline at end of file" marker, as patch
 * expects.
 */
public final class UnifiedDiff {
    private static final int CONTEXT = 3;
    /** The saved search state is D copies of V: beyond this (about 200 MB), give up rather than run out. */
    private static final long MAX_TRACE_INTS = 50_000_000L;

    private UnifiedDiff() {}

    /**
     * The hunks ("@@ ... @@" and lines) turning {@code a} into {@code b}; empty when equal, null when
     * the texts are too different to compare within the memory bound.
     */
    public static String hunks(String a, String b) {
        List<String> x = lines(a);
        List<String> y = lines(b);
        List<int[]> ops = script(x, y); // {kind, index}: 0 keep (x index), -1 delete (x), +1 insert (y)
        if (ops == null) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        int n = ops.size();
        int i = 0;
        while (i < n) {
            while (i < n && ops.get(i)[0] == 0) {
                i++;
            }
            if (i == n) {
                break;
            }
            int start = Math.max(0, i - CONTEXT);
            int end = i;
            // extend over changes separated by at most 2*CONTEXT kept lines
            while (end < n) {
                if (ops.get(end)[0] != 0) {
                    end++;
                    continue;
                }
                int run = end;
                while (run < n && ops.get(run)[0] == 0) {
                    run++;
                }
                if (run == n || run - end > 2 * CONTEXT) {
                    end = Math.min(n, end + CONTEXT);
                    break;
                }
                end = run;
            }
            hunk(out, ops.subList(start, end), ops, start, x, y);
            i = end;
        }
        return out.toString();
    }

    private static void hunk(StringBuilder out, List<int[]> part, List<int[]> all, int offset, List<String> x, List<String> y) {
        int[] pos = positions(all, offset);
        int aStart = pos[0];
        int bStart = pos[1];
        int aLen = 0;
        int bLen = 0;
        StringBuilder body = new StringBuilder();
        for (int[] op : part) {
            String line;
            char mark;
            if (op[0] == 0) {
                line = x.get(op[1]);
                mark = ' ';
                aLen++;
                bLen++;
            } else if (op[0] < 0) {
                line = x.get(op[1]);
                mark = '-';
                aLen++;
            } else {
                line = y.get(op[1]);
                mark = '+';
                bLen++;
            }
            body.append(mark);
            if (line.endsWith("\n")) {
                body.append(line);
            } else {
                body.append(line).append("\n\\ No newline at end of file\n");
            }
        }
        out.append("@@ -").append(range(aStart, aLen)).append(" +").append(range(bStart, bLen)).append(" @@\n").append(body);
    }

    /** Lines of a and of b before op number {@code upTo}. */
    private static int[] positions(List<int[]> ops, int upTo) {
        int a = 0;
        int b = 0;
        for (int k = 0; k < upTo; k++) {
            int kind = ops.get(k)[0];
            if (kind <= 0) {
                a++;
            }
            if (kind >= 0) {
                b++;
            }
        }
        return new int[] {a, b};
    }

    private static String range(int start, int length) {
        // diff -u: 1-based start; an empty range names the line before it
        int first = length == 0 ? start : start + 1;
        return length == 1 ? Integer.toString(first) : first + "," + length;
    }

    /** Lines with their newline; the last one may lack it. */
    static List<String> lines(String s) {
        List<String> lines = new ArrayList<>();
        int from = 0;
        while (from < s.length()) {
            int nl = s.indexOf('\n', from);
            int to = nl < 0 ? s.length() : nl + 1;
            lines.add(s.substring(from, to));
            from = to;
        }
        return lines;
    }

    /** Myers' greedy forward search, keeping each round's V to walk the path back; null past the bound. */
    static List<int[]> script(List<String> x, List<String> y) {
        int n = x.size();
        int m = y.size();
        int max = n + m;
        int[] v = new int[2 * max + 2];
        List<int[]> trace = new ArrayList<>();
        int found = -1;
        for (int d = 0; d <= max && found < 0; d++) {
            if ((long) d * v.length > MAX_TRACE_INTS) {
                return null;
            }
            trace.add(v.clone());
            for (int k = -d; k <= d; k += 2) {
                int xi = (k == -d || (k != d && v[max + k - 1] < v[max + k + 1])) ? v[max + k + 1] : v[max + k - 1] + 1;
                int yi = xi - k;
                while (xi < n && yi < m && x.get(xi).equals(y.get(yi))) {
                    xi++;
                    yi++;
                }
                v[max + k] = xi;
                if (xi >= n && yi >= m) {
                    found = d;
                    break;
                }
            }
        }
        List<int[]> ops = new ArrayList<>();
        int xi = n;
        int yi = m;
        for (int d = found; d >= 0; d--) {
            int[] prev = trace.get(d);
            int k = xi - yi;
            int prevK = (k == -d || (k != d && prev[max + k - 1] < prev[max + k + 1])) ? k + 1 : k - 1;
            int prevX = d == 0 ? 0 : prev[max + prevK];
            int prevY = d == 0 ? 0 : prevX - prevK;
            while (xi > prevX && yi > prevY) {
                ops.add(new int[] {0, --xi});
                yi--;
            }
            if (d > 0) {
                if (xi == prevX) {
                    ops.add(new int[] {1, --yi});
                } else {
                    ops.add(new int[] {-1, --xi});
                }
            }
        }
        java.util.Collections.reverse(ops);
        return ops;
    }
}
