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

/**
 * The plan on the wire from launcher to init: a versioned sequence of
 * length-prefixed UTF-8 strings, so no path or argument can break the format.
 */
public final class PlanCodec {
    private static final int MAGIC = 0x4e425333; // "NBS3"

    private PlanCodec() {}

    public static byte[] encode(SandboxPlan plan) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            writeString(out, plan.root());
            writeString(out, plan.hostname());
            writeString(out, plan.domainname());
            out.writeBoolean(plan.loopback());
            writeProfile(out, plan.profile());
            out.writeInt(plan.personality());
            out.writeInt(plan.setup().size());
            for (SetupOp op : plan.setup()) {
                out.writeInt(op.kind().ordinal());
                writeString(out, op.path());
                writeString(out, op.content());
                out.writeInt(op.mode());
            }
            out.writeInt(plan.mounts().size());
            for (MountOp m : plan.mounts()) {
                out.writeInt(m.kind().ordinal());
                writeString(out, m.source());
                writeString(out, m.target());
                out.writeBoolean(m.readOnly());
                out.writeInt(m.mode());
            }
            writeString(out, plan.workdir());
            writeStrings(out, plan.argv());
            writeStrings(out, plan.env());
            writeString(out, plan.rcScript());
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
        SandboxProfile profile = readProfile(in);
        int personality = in.readInt();
        int steps = in.readInt();
        List<SetupOp> setup = new ArrayList<>(steps);
        for (int i = 0; i < steps; i++) {
            SetupOp.Kind kind = SetupOp.Kind.values()[in.readInt()];
            setup.add(new SetupOp(kind, readString(in), readString(in), in.readInt()));
        }
        int count = in.readInt();
        List<MountOp> mounts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            MountOp.Kind kind = MountOp.Kind.values()[in.readInt()];
            mounts.add(new MountOp(kind, readString(in), readString(in), in.readBoolean(), in.readInt()));
        }
        String workdir = readString(in);
        List<String> argv = readStrings(in);
        List<String> env = readStrings(in);
        String rc = readString(in);
        return new SandboxPlan(root, hostname, domainname, loopback, profile, personality, setup, mounts, workdir, argv, env, rc);
    }

    private static void writeProfile(DataOutputStream out, SandboxProfile p) throws IOException {
        writeString(out, p.name());
        writeString(out, p.since());
        out.writeInt(p.rootMode());
        out.writeInt(p.etcMode());
        writeString(out, p.sandboxShell());
        writeStrings(out, p.devices());
        out.writeBoolean(p.bindSingleFiles());
        out.writeInt(p.umask());
        out.writeLong(p.coreLimit());
        out.writeInt(p.personality());
        out.writeBoolean(p.noNewPrivs());
        writeString(out, p.seccompRules());
    }

    private static SandboxProfile readProfile(DataInputStream in) throws IOException {
        return new SandboxProfile(readString(in), readString(in), in.readInt(), in.readInt(), readString(in),
                readStrings(in), in.readBoolean(), in.readInt(), in.readLong(), in.readInt(), in.readBoolean(),
                readString(in));
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
