package org.nixbuildshell.launcher.kept;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.nixbuildshell.launcher.builddir.BuildDir;
import org.nixbuildshell.launcher.nixconf.NixPlaces;
import org.nixbuildshell.launcher.origin.OriginFinder;
import org.nixbuildshell.status.ExitCodes;
import org.nixbuildshell.status.ToolError;

/**
 * The kept build directories on this machine, newest first: in build-dir
 * (Nix 2.30+: {@code nix-build-NAME.drv-PID-N/build}, 2.32+:
 * {@code nix-PID-N/build}; Lix 2.94+: {@code RANDOM/b}) and in the temporary
 * directories of older Nix and Lix ({@code nix-build-NAME.drv-N}, itself or
 * with {@code build/} or {@code b/} inside). Anything else there is not one.
 */
public final class KeptBuilds {
    private static final Pattern NIX_NAMED = Pattern.compile("nix-build-.+\\.drv-\\d+(-\\d+)?");
    private static final Pattern NIX_NUMBERED = Pattern.compile("nix-\\d+-\\d+");

    private KeptBuilds() {}

    public static List<KeptEntry> find(NixPlaces places) {
        Map<Path, KeptEntry> found = new LinkedHashMap<>();
        for (Path dir : places.buildDirs()) {
            scan(dir, false, found);
        }
        for (Path dir : places.tmpDirs()) {
            scan(dir, true, found);
        }
        List<KeptEntry> all = new ArrayList<>(found.values());
        all.sort(Comparator.comparing(KeptEntry::time, Comparator.reverseOrder()));
        return all;
    }

    /**
     * {@code --last}: the newest kept build the caller can read.
     *
     * @throws ToolError (111) when there is none, saying where it looked
     */
    public static Path last(NixPlaces places) {
        List<KeptEntry> entries = find(places);
        KeptEntry newest = entries.stream().filter(KeptEntry::readable).findFirst().orElse(null);
        if (newest != null) {
            return newest.path();
        }
        String others = entries.isEmpty() ? "" : " (" + entries.size() + " you cannot read: sudo nix-build-shell --last)";
        throw new ToolError(ExitCodes.NO_BUILD_DIR, "--last: no kept build directory you can read in " + describe(places) + others,
                "keep the build directory of a failed build with nix-build --keep-failed (or nix build -K), "
                        + "or name the directory Nix printed");
    }

    /** The places searched, in words. */
    public static String describe(NixPlaces places) {
        return places.all().stream().map(Object::toString).collect(Collectors.joining(", "));
    }

    private static void scan(Path dir, boolean tmp, Map<Path, KeptEntry> found) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                if (!Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                KeptEntry kept = entry(entry, tmp);
                if (kept != null) {
                    found.putIfAbsent(realPath(entry), kept);
                }
            }
        } catch (IOException e) {
            // not there (most of them are not), or not readable: nothing to list from it
        }
    }

    /** The kept build at {@code entry}, or null when it is none. */
    static KeptEntry entry(Path entry, boolean tmp) {
        String name = entry.getFileName().toString();
        boolean named = NIX_NAMED.matcher(name).matches();
        if (tmp && !named) {
            return null;
        }
        if (!Files.isReadable(entry) || !Files.isExecutable(entry)) {
            return named || NIX_NUMBERED.matcher(name).matches() ? new KeptEntry(entry, null, modified(entry)) : null;
        }
        for (String inner : new String[] {"build", "b"}) {
            Path top = entry.resolve(inner);
            if (Files.isDirectory(top, LinkOption.NOFOLLOW_LINKS)) {
                boolean readable = Files.isReadable(top) && Files.isExecutable(top);
                BuildDir build = new BuildDir(entry, top, top.resolve(BuildDir.ENV_VARS));
                return readable ? new KeptEntry(entry, build, OriginFinder.keptTime(build))
                        : new KeptEntry(entry, null, modified(top));
            }
        }
        if (!named) {
            return null;
        }
        // the flat layout of Nix up to 2.23.0: the directory itself was /build
        BuildDir flat = new BuildDir(entry, entry, entry.resolve(BuildDir.ENV_VARS));
        return new KeptEntry(entry, flat, OriginFinder.keptTime(flat));
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    private static Path realPath(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }
}
