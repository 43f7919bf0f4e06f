package org.nixbuildshell.launcher.origin;

import java.nio.file.Path;

/**
 * The derivation a kept build comes from, and how it was found (for the banner).
 *
 * @param how e.g. "named with --drv", "by its outputs"
 */
public record Origin(Path drv, String how) {}
