package org.nixbuildshell.launcher.workcopy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The state of a working copy's /build right after the copy: for every entry its type, mode, size,
 * mtime and ctime. Comparing with it later tells which files the user (or a build run) changed,
 * without reading the kept directory, whose files may belong to the Nix build user and be unreadable.
 * ctime catches edits that put the old mtime back.
 *
 * <p>File format: one entry a line, {@code type mode size mtime ctime path}, path relative to /build
 * with backslash and newline escaped.
 */
public final class Manifest {
    /** One entry's state; {@code type} is f, d, l (symlink) or o (other). */
    public record Entry(char type, int mode, long size, long mtime, long ctime) {}

    private final Map<String, Entry> entries;

    private Manifest(Map<String, Entry> entries) {
        this.entries = entries;
    }

    public Map<String, Entry> entries() {
        return entries;
    }

    /** Walks {@code top} without following symlinks; an entry that cannot be read is recorded as such. */
    public static Manifest of(Path top) throws IOException {
        Map<String, Entry> all = new TreeMap<>();
        Files.walkFileTree(top, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!dir.equals(top)) {
                    all.put(relative(top, dir), entry(dir));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                all.put(relative(top, file), entry(file));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                all.put(relative(top, file), entry(file)); // a directory made 000: its own state still counts
                return FileVisitResult.CONTINUE;
            }
        });
        return new Manifest(all);
    }

    static Entry entry(Path path) throws IOException {
        Map<String, Object> a = Files.readAttributes(path, "unix:mode,size,lastModifiedTime,ctime,isDirectory,"
                + "isSymbolicLink,isRegularFile", LinkOption.NOFOLLOW_LINKS);
        char type = (Boolean) a.get("isRegularFile") ? 'f' : (Boolean) a.get("isDirectory") ? 'd'
                : (Boolean) a.get("isSymbolicLink") ? 'l' : 'o';
        return new Entry(type, (Integer) a.get("mode") & 07777, (Long) a.get("size"),
                nanos((FileTime) a.get("lastModifiedTime")), nanos((FileTime) a.get("ctime")));
    }

    private static long nanos(FileTime t) {
        return t.to(java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    private static String relative(Path top, Path p) {
        return top.relativize(p).toString();
    }

    public void write(Path file) throws IOException {
        StringBuilder b = new StringBuilder();
        entries.forEach((path, e) -> b.append(e.type()).append(' ').append(e.mode()).append(' ').append(e.size())
                .append(' ').append(e.mtime()).append(' ').append(e.ctime()).append(' ')
                .append(path.replace("\\", "\\\\").replace("\n", "\\n")).append('\n'));
        Files.writeString(file, b, StandardCharsets.UTF_8);
    }

    /** Throws IOException, also for a malformed line: a damaged manifest is a damaged working copy. */
    public static Manifest read(Path file) throws IOException {
        Map<String, Entry> all = new TreeMap<>();
        int n = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            n++;
            String[] f = line.split(" ", 6);
            try {
                if (f.length != 6 || f[0].length() != 1) {
                    throw new NumberFormatException();
                }
                all.put(unescape(f[5]), new Entry(f[0].charAt(0), Integer.parseInt(f[1]), Long.parseLong(f[2]),
                        Long.parseLong(f[3]), Long.parseLong(f[4])));
            } catch (NumberFormatException e) {
                throw new IOException(file + ": line " + n + " is malformed");
            }
        }
        return new Manifest(all);
    }

    private static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char next = s.charAt(++i);
                b.append(next == 'n' ? '\n' : next);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** What differs between this (the pristine state) and {@code now}. */
    public Changes against(Manifest now) {
        List<String> changed = new ArrayList<>();
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        now.entries.forEach((path, e) -> {
            Entry before = entries.get(path);
            if (before == null) {
                added.add(path);
            } else if (!before.equals(e) && !(e.type() == 'd' && before.type() == 'd' && before.mode() == e.mode())) {
                changed.add(path); // a directory whose listing changed shows as its entries' changes
            }
        });
        entries.keySet().stream().filter(p -> !now.entries.containsKey(p)).forEach(removed::add);
        return new Changes(changed, added, removed, this, now);
    }

    /** Paths relative to /build, sorted. */
    public record Changes(List<String> changed, List<String> added, List<String> removed, Manifest before, Manifest now) {
        /** A directory, before or now: its changes show through its entries. */
        public boolean isDirectory(String path) {
            Entry a = before.entries.get(path);
            Entry b = now.entries.get(path);
            return (a != null && a.type() == 'd') || (b != null && b.type() == 'd');
        }

        /** Bytes of the regular files now in the tree. */
        public long size() {
            return now.entries.values().stream().filter(e -> e.type() == 'f').mapToLong(Entry::size).sum();
        }

        public int count() {
            return changed.size() + added.size() + removed.size();
        }

        public boolean isEmpty() {
            return count() == 0;
        }
    }
}
