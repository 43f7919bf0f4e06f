package org.nixbuildshell.launcher.origin;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.nixbuildshell.launcher.builddir.BuildDir;
import org.nixbuildshell.launcher.derivation.AttrsJson;
import org.nixbuildshell.launcher.derivation.DerivationLocator;

/**
 * What a kept directory shows of its derivation without env-vars: what Nix
 * wrote into /build (.attrs.json, the passAsFile files), the directories the
 * sources unpacked to, the name of its parent, and when it last changed.
 *
 * @param time        when the build last wrote to /build (stdenv rewrites env-vars at every phase)
 * @param nameFromDir the derivation's name as the directory (or its parent) tells it, if it does
 * @param structured  it has .attrs.json (the derivation has structured attrs)
 * @param outputs     .attrs.json's outputs when it is readable, else empty
 * @param attrFiles   the {@code .attr-HASH} files Nix writes for passAsFile
 * @param sourceDirs  the directories that are not Nix's own (the unpacked sources)
 */
record KeptContents(FileTime time, Optional<String> nameFromDir, boolean structured, Map<String, String> outputs,
                    Set<String> attrFiles, Set<String> sourceDirs) {

    static KeptContents of(BuildDir build) {
        Path top = build.top();
        Set<String> attrFiles = new TreeSet<>();
        Set<String> sourceDirs = new TreeSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(top)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.startsWith(".attr-")) {
                    attrFiles.add(name);
                } else if (!name.startsWith(".") && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    sourceDirs.add(name);
                }
            }
        } catch (IOException e) {
            // the locator checked it is readable; a race leaves less evidence
        }
        Map<String, String> outputs = Map.of();
        if (Files.isReadable(build.attrsJson())) {
            try {
                outputs = AttrsJson.parse(Files.readString(build.attrsJson())).outputs();
            } catch (IOException | IllegalArgumentException e) {
                // no outputs to compare
            }
        }
        return new KeptContents(time(build), DerivationLocator.nameFromDirectory(top), Files.exists(build.attrsJson()),
                outputs, attrFiles, sourceDirs);
    }

    /** The later of the directory's and env-vars' modification times (both readable without reading env-vars). */
    static FileTime time(BuildDir build) {
        FileTime time = FileTime.fromMillis(0);
        for (Path p : new Path[] {build.top(), build.envVars()}) {
            try {
                FileTime t = Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS);
                time = t.compareTo(time) > 0 ? t : time;
            } catch (IOException e) {
                // no env-vars: the directory's time
            }
        }
        return time;
    }
}
