package org.nixbuildshell.plan;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.nixbuildshell.seccomp.SeccompRule;
import org.nixbuildshell.seccomp.SeccompRules;

/**
 * The plan on the wire from launcher to init: a versioned sequence of
 * length-prefixed UTF-8 strings, so no path or argument can break the format.
 */
public final class PlanCodec {
    private static final int MAGIC = 0x4e425334; // "NBS4"

    private PlanCodec() {}

    public static byte[] encode(SandboxPlan plan) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            writeString(out, plan.root());
            writeString(out, plan.hostname());
            writeString(out, plan.domainname());
            out.writeBoolean(plan.loopback());
            writeString(out, plan.profile());
            out.writeInt(plan.setup().size());
            for (SetupOp op : plan.setup()) {
                out.writeInt(op.kind().ordinal());
                writeString(out, op.path());
                writeString(out, op.source());
                writeString(out, op.data());
                out.writeInt(op.mode());
                out.writeBoolean(op.readOnly());
            }
            SandboxPlan.Command command = plan.command();
            writeStrings(out, command.argv());
            writeStrings(out, command.env());
            writeString(out, command.workdir());
            writeString(out, command.rcScript());
            writeSettings(out, plan.settings());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static SandboxPlan decode(byte[] data) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
        if (in.readInt() != MAGIC) {
            throw new IOException("not a sandbox plan of this version of nix-build-shell");
        }
        String root = readString(in);
        String hostname = readString(in);
        String domainname = readString(in);
        boolean loopback = in.readBoolean();
        String profile = readString(in);
        int steps = in.readInt();
        List<SetupOp> setup = new ArrayList<>(steps);
        for (int i = 0; i < steps; i++) {
            SetupOp.Kind kind = SetupOp.Kind.values()[in.readInt()];
            setup.add(new SetupOp(kind, readString(in), readString(in), readString(in), in.readInt(), in.readBoolean()));
        }
        SandboxPlan.Command command = new SandboxPlan.Command(readStrings(in), readStrings(in), readString(in),
                readString(in));
        return new SandboxPlan(root, hostname, domainname, loopback, profile, setup, command, readSettings(in));
    }

    /** The settings alone: what a run that joins the session reads from its working copy. */
    public static byte[] encode(ProcessSettings settings) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            writeSettings(out, settings);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static ProcessSettings decodeSettings(byte[] data) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
        if (in.readInt() != MAGIC) {
            throw new IOException("not the process settings of this version of nix-build-shell");
        }
        return readSettings(in);
    }

    private static void writeSettings(DataOutputStream out, ProcessSettings s) throws IOException {
        out.writeInt(s.umask());
        out.writeLong(s.coreLimit());
        out.writeInt(s.personality());
        out.writeBoolean(s.noNewPrivs());
        out.writeBoolean(s.seccomp() != null);
        if (s.seccomp() != null) {
            writeString(out, s.seccomp().name());
            out.writeInt(s.seccomp().rules().size());
            for (SeccompRule rule : s.seccomp().rules()) {
                writeStrings(out, rule.syscalls());
                out.writeInt(rule.argument());
                out.writeInt(rule.anyBits());
                out.writeInt(rule.errno());
            }
        }
        out.writeLong(s.landlockScopes());
        out.writeBoolean(s.dropCapabilities());
    }

    private static ProcessSettings readSettings(DataInputStream in) throws IOException {
        int umask = in.readInt();
        long core = in.readLong();
        int personality = in.readInt();
        boolean noNewPrivs = in.readBoolean();
        SeccompRules seccomp = null;
        if (in.readBoolean()) {
            String name = readString(in);
            int n = in.readInt();
            List<SeccompRule> rules = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                rules.add(new SeccompRule(readStrings(in), in.readInt(), in.readInt(), in.readInt()));
            }
            seccomp = new SeccompRules(name, rules);
        }
        return new ProcessSettings(umask, core, personality, noNewPrivs, seccomp, in.readLong(), in.readBoolean());
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        return new String(in.readNBytes(n), StandardCharsets.UTF_8);
    }

    private static void writeStrings(DataOutputStream out, List<String> list) throws IOException {
        out.writeInt(list.size());
        for (String s : list) {
            writeString(out, s);
        }
    }

    private static List<String> readStrings(DataInputStream in) throws IOException {
        int n = in.readInt();
        List<String> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(readString(in));
        }
        return list;
    }
}
