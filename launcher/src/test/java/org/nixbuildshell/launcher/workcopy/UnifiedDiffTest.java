package org.nixbuildshell.launcher.workcopy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The hunks are those GNU diff -u writes for the same texts (checked by hand with diff -u). */
class UnifiedDiffTest {
    @Test
    void equalTextsHaveNoHunks() {
        assertEquals("", UnifiedDiff.hunks("a\nb\n", "a\nb\n"));
    }

    @Test
    void oneChangedLineWithThreeLinesOfContext() {
        String a = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
        String b = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n";
        assertEquals("@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n", UnifiedDiff.hunks(a, b));
    }

    @Test
    void distantChangesAreSeparateHunks() {
        StringBuilder a = new StringBuilder();
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= 20; i++) {
            a.append(i).append('\n');
            b.append(i == 2 ? "two" : i == 19 ? "nineteen" : Integer.toString(i)).append('\n');
        }
        assertEquals("@@ -1,5 +1,5 @@\n 1\n-2\n+two\n 3\n 4\n 5\n"
                + "@@ -16,5 +16,5 @@\n 16\n 17\n 18\n-19\n+nineteen\n 20\n", UnifiedDiff.hunks(a.toString(), b.toString()));
    }

    @Test
    void insertionIntoAnEmptyFileAndAMissingLastNewline() {
        assertEquals("@@ -0,0 +1,2 @@\n+x\n+y\n\\ No newline at end of file\n", UnifiedDiff.hunks("", "x\ny"));
        assertEquals("@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+a\n", UnifiedDiff.hunks("a", "a\n"));
    }
}
