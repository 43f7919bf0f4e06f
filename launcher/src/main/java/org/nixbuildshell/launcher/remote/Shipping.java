package org.nixbuildshell.launcher.remote;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Our own files onto a builder that has no copy of them: one ssh round trip (upload.sh), checked by SHA-256 there. */
final class Shipping {
    private static final Logger LOG = LoggerFactory.getLogger(Shipping.class);

    private Shipping() {}

    /** Copies {@code dist} into {@code dir} on the builder; returns {@code dir}. */
    static String ship(Ssh ssh, Distribution dist, String dir) throws IOException, InterruptedException {
        LOG.info("ship: {} files of nix-build-shell to {}:{}", dist.files().size(), ssh.destination().shown(), dir);
        String command = Scripts.command("upload", List.of(dir));
        Ssh.Result r = ssh.capture(command, in -> {
            BufferedOutputStream out = new BufferedOutputStream(in, 1 << 16);
            dist.writeTar(out);
            out.flush();
        });
        if (r.status() != 0) {
            throw r.status() == Ssh.SSH_FAILED ? SshFailure.of(ssh.destination(), "upload", r)
                    : SshFailure.unexpected(ssh.destination(), "upload", r);
        }
        return dir;
    }
}
