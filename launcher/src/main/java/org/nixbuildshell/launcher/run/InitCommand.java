package org.nixbuildshell.launcher.run;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.nixbuildshell.log.Logging;
import org.nixbuildshell.log.Phases;
import org.nixbuildshell.spawn.CloneSpawner;
import org.nixbuildshell.status.ExitCodes;
import org.nixbuildshell.status.ToolError;

/**
 * The command line of the init JVM: same java as ours, with the options and
 * class path of lib/{@value #JVM_CONF}, which the entry script reads too.
 * Its archive (init.aot or init.jsa, as jvm.conf's {@code archive} key says for
 * this JDK) is made by the entry script (scripts/nix-build-shell) in the directory
 * it passes as {@value #ARCHIVE_DIR_PROPERTY} when it is current; for its training
 * run it sets {@value #TRAIN_PROPERTY} to the file where init records what it
 * loads (opened at JVM start, so before init's chroot; an AOT configuration is
 * written through that descriptor at exit).
 */
final class InitCommand {
    static final String MAIN = "org.nixbuildshell.init.InitMain";
    static final String TRAIN_PROPERTY = "nbs.archive.initRecord";
    static final String ARCHIVE_DIR_PROPERTY = "nbs.archive.dir";
    /** Init seals the store as on a kernel without mount_setattr (init/mount/RootMounts.sealBelow), a test knob. */
    static final String NO_SETATTR_PROPERTY = "nbs.mount.noSetattr";
    /** Init's clone watchdog timeout alone, so a test can make the command's clone "hang" but not init's. */
    static final String INIT_CLONE_TIMEOUT_PROPERTY = "nbs.initCloneTimeoutMillis";
    /** Options and class paths of both JVMs, shared with the entry script (launcher/src/main/jvm). */
    static final String JVM_CONF = "jvm.conf";

    private InitCommand() {}

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The plan arrives on this descriptor (see {@link Sandbox#start}). */
    static final int PLAN_FD = 3;

    static List<String> argv(String logLevel, long startMillis) {
        Path lib = libDir();
        List<String> argv = new ArrayList<>();
        argv.add(java());
        Properties conf = jvmConf(lib);
        argv.addAll(words(conf, "options"));
        argv.addAll(words(conf, "init.options"));
        argv.addAll(archiveOptions(value(conf, "archive", "cds")));
        String jnaPath = System.getProperty("jna.boot.library.path");
        if (jnaPath != null) {
            argv.add("-Djna.boot.library.path=" + jnaPath);
            argv.add("-Djna.nounpack=true");
        }
        StringBuilder cp = new StringBuilder();
        for (String jar : words(conf, "init.jars")) {
            cp.append(cp.length() == 0 ? "" : ":").append(lib.resolve(jar));
        }
        argv.add("-cp");
        argv.add(cp.toString());
        // the clone watchdog's timeout for the command: the launcher's own, or one for init only (a test knob)
        String cloneTimeout = System.getProperty(INIT_CLONE_TIMEOUT_PROPERTY, System.getProperty(CloneSpawner.TIMEOUT_PROPERTY));
        if (cloneTimeout != null) {
            argv.add("-D" + CloneSpawner.TIMEOUT_PROPERTY + "=" + cloneTimeout);
        }
        if (Boolean.getBoolean(NO_SETATTR_PROPERTY)) {
            argv.add("-D" + NO_SETATTR_PROPERTY + "=true"); // a test knob: init's store view without mount_setattr
        }
        if (Phases.origin() != null) {
            argv.add("-D" + Phases.PROPERTY + "=" + Phases.origin());
        }
        // known before the plan, so init can set up logging while it waits for it
        argv.add("-D" + Logging.LEVEL_PROPERTY + "=" + logLevel);
        argv.add("-D" + Logging.TAG_PROPERTY + "=init");
        argv.add("-D" + Logging.START_PROPERTY + "=" + startMillis);
        argv.add(MAIN);
        argv.add(Integer.toString(PLAN_FD));
        return argv;
    }

    /** Record what init loads (the entry script's training run), or start from the archive made of it. */
    private static List<String> archiveOptions(String kind) {
        boolean aot = kind.equals("aot");
        String record = System.getProperty(TRAIN_PROPERTY);
        if (record != null) {
            return aot ? List.of("-XX:AOTMode=record", "-XX:AOTConfiguration=" + record)
                    : List.of("-Xshare:off", "-XX:DumpLoadedClassList=" + record);
        }
        String dir = System.getProperty(ARCHIVE_DIR_PROPERTY);
        Path archive = dir == null ? null : Path.of(dir, aot ? "init.aot" : "init.jsa");
        if (archive == null || !Files.isReadable(archive)) {
            return List.of();
        }
        return List.of((aot ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=") + archive);
    }

    /** lib/jvm.conf; without it init cannot start, and the build is broken. */
    static Properties jvmConf(Path lib) {
        Properties conf = new Properties();
        try (Reader in = Files.newBufferedReader(lib.resolve(JVM_CONF), StandardCharsets.UTF_8)) {
            conf.load(in);
        } catch (IOException e) {
            throw new ToolError(ExitCodes.INTERNAL, "cannot read " + lib.resolve(JVM_CONF) + ": " + e.getMessage(),
                    "rebuild: mvn -B -DskipTests package");
        }
        return conf;
    }

    static List<String> words(Properties conf, String key) {
        String value = value(conf, key, "");
        return value.isEmpty() ? List.of() : List.of(value.split(" +"));
    }

    /**
     * KEY's value for the JDK we run on: {@code KEY@N} replaces {@code KEY} from feature
     * version N on, the highest N that applies winning (the entry script reads it alike).
     */
    static String value(Properties conf, String key, String otherwise) {
        return value(conf, key, otherwise, Runtime.version().feature());
    }

    static String value(Properties conf, String key, String otherwise, int feature) {
        String value = conf.getProperty(key, otherwise);
        int best = -1;
        for (String name : conf.stringPropertyNames()) {
            if (name.startsWith(key + "@")) {
                int from = Integer.parseInt(name.substring(key.length() + 1));
                if (from <= feature && from > best) {
                    best = from;
                    value = conf.getProperty(name);
                }
            }
        }
        return value.strip();
    }

    /** Where our jars are: set by the entry script, or next to this class's jar. */
    static Path libDir() {
        String lib = System.getProperty("nbs.lib");
        if (lib != null) {
            return Path.of(lib);
        }
        try {
            return Path.of(InitCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
